"""The one error tree and the exit codes it maps to (see README, "Exit codes")."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packager.diagnostics import Diagnostic


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    USAGE = 2
    INVALID_INPUT = 3
    UNSUPPORTED = 4
    INVALID_OUTPUT = 5
    IO = 6


class PackagerError(Exception):
    """Base of every expected failure; the CLI prints it without a traceback."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(
        self,
        message: str,
        *,
        hints: Sequence[str] = (),
        diagnostics: Sequence[Diagnostic] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hints = tuple(hints)
        self.diagnostics = tuple(diagnostics)


class UsageError(PackagerError):
    exit_code = ExitCode.USAGE


class InputError(PackagerError):
    """The input bank (or a foreign file being imported) is invalid."""

    exit_code = ExitCode.INVALID_INPUT


class UnsupportedError(PackagerError):
    """A target cannot express something the bank uses (and the user did not allow losses)."""

    exit_code = ExitCode.UNSUPPORTED


class NothingToExport(UnsupportedError):
    """A target can carry none of a bank's questions. A release build that skips unsupported
    questions skips that bank × format for `reason`; an export, asked for it, fails."""

    def __init__(self, where: str, reason: str, summary: dict[str, Any] | None = None) -> None:
        super().__init__(f"{where}: {reason}")
        self.reason = reason
        self.summary = summary or {}  # the pair's build-report fields (pipeline.fidelity_summary)


class OutputValidationError(PackagerError):
    """Output failed its XSD: a writer bug, reported as such."""

    exit_code = ExitCode.INVALID_OUTPUT


class PackagerIOError(PackagerError):
    exit_code = ExitCode.IO
