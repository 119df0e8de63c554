"""Canonical JSON → Bank: JSON syntax (canonical_json), then the published JSON Schema
(canonical_schema), then the model's rules.

Every problem is reported (not only the first) with file, line, JSON pointer and question id.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from packager.diagnostics import Diagnostic, Severity
from packager.limits import MAX_BANK_BYTES
from packager.model import Bank, InvariantError, Problem
from packager.readers.base import Source
from packager.readers.canonical_json import limit_diagnostic, parse
from packager.readers.canonical_schema import schema_diagnostics
from packager.readers.encoding import holds, not_text, utf8_text
from packager.readers.jsonpos import PointerIndex, find_fault

NAME = "json"


class Located:
    """Turns pointers into diagnostics with line numbers, scanning the text only if needed."""

    def __init__(self, source: Source, data: Any) -> None:
        self.source = source
        self.data = data
        self._index: PointerIndex | None = None

    @property
    def text(self) -> str:
        # Decoded only when a diagnostic needs a line (the pointer index then holds it):
        # holding the decoded text of a large bank (4 bytes a character once it contains an
        # emoji) would double its memory.
        return self.source.data.decode("utf-8-sig")

    def release(self) -> None:
        """Keep only what locating needs (question ids), once the model holds the content."""
        questions = self.data.get("questions") if isinstance(self.data, dict) else None
        if isinstance(questions, list):
            ids = [{"id": q.get("id")} if isinstance(q, dict) else {} for q in questions]
            self.data = {"questions": ids}

    def _where(self, pointer: str) -> tuple[int, int] | None:
        if self._index is None:
            self._index = PointerIndex(self.text)
        return self._index.position(pointer)

    def line_of(self, pointer: str) -> int | None:
        """The line of the text the pointer's value is on."""
        where = self._where(pointer)
        return where[0] if where else None

    def question_id(self, pointer: str) -> str | None:
        parts = pointer.split("/")
        if len(parts) >= 3 and parts[1] == "questions" and parts[2].isdigit():
            try:
                qid = self.data["questions"][int(parts[2])]["id"]
            except (KeyError, IndexError, TypeError):
                return None
            return qid if isinstance(qid, str) else None
        return None

    def diagnostic(
        self,
        code: str,
        pointer: str,
        message: str,
        hint: str | None = None,
        *,
        severity: Severity = Severity.ERROR,
        question_id: str | None = None,
    ) -> Diagnostic:
        where = self._where(pointer)
        return Diagnostic(
            code=code,
            message=message,
            severity=severity,
            file=self.source.name,
            line=where[0] if where else None,
            column=where[1] if where else None,
            pointer=pointer,
            question_id=question_id or self.question_id(pointer),
            hint=hint,
        )

    def problem(self, problem: Problem) -> Diagnostic:
        return self.diagnostic(
            problem.code,
            problem.pointer,
            problem.message,
            problem.hint,
            severity=Severity.ERROR if problem.is_error else Severity.WARNING,
            question_id=problem.question_id,
        )


@dataclass(frozen=True)
class ReadResult:
    bank: Bank | None  # None when it could not be built; check diagnostics for errors
    diagnostics: list[Diagnostic]
    located: Located | None  # for later checks to locate their problems in the same text


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside (reference counting still frees), unless it
    was off already. For building a large tree of objects without reference cycles."""
    # json and pydantic build a bank as a large tree of containers with no reference cycles,
    # and every full collection their allocations trigger rescans all of it: about 0.15 s of
    # loading a 10,000-question bank. Reference counting still frees the temporaries (and the
    # few cycles of a broken bank's error reports wait only until the collector resumes, which
    # then scans the finished tree once). A collector that is already off stays off.
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read(source: Source, on_parsed: Callable[[Any], None] | None = None) -> ReadResult:
    """Parse and validate; every diagnostic, and the Bank when there was no error.
    `on_parsed` is handed the parsed JSON value before the model is built from it (the
    pipeline starts rendering its texts then: render_pool.EarlyRendering)."""
    with gc_paused():
        return _read(source, on_parsed)


def _read(source: Source, on_parsed: Callable[[Any], None] | None = None) -> ReadResult:
    if len(source.data) > MAX_BANK_BYTES:
        return ReadResult(None, [_too_large(source)], None)
    try:
        text = utf8_text(source.data)
    except UnicodeDecodeError as exc:  # JSON is UTF-8 (RFC 8259): no other is read
        return ReadResult(None, [not_text(source.data, exc, source.name, "E-ENCODING",
                                                  utf8_only=True)], None)
    # Looked for once, in the bytes: a search of the decoded text (four bytes a character
    # once it holds an emoji) took as long again.
    escaped = holds(source.data, b"\\u")
    data, problem = parse(text, source.name, escaped=escaped)
    if problem is not None:
        return ReadResult(None, [problem], None)
    del text
    if on_parsed is not None:
        on_parsed(data)
    located = Located(source, data)
    # The models mirror the published schema (tests/test_schema.py keeps them in step), so a
    # bank the models accept is schema-valid. Pydantic (Rust) checks a 10,000-question bank in
    # a fraction of jsonschema's time; jsonschema runs only when something is wrong, so its
    # schema-level messages come first, as the contract promises.
    try:
        checked = no_unsafe_characters(source.data, escaped)
        bank, diagnostics, refusal = _model_from_data(data, located, checked)
        if refusal is not None:
            schema_diags = schema_diagnostics(data, located, refusal.flagged)
            if schema_diags:
                return ReadResult(None, schema_diags, located)
            diagnostics = _pydantic_diagnostics(refusal.errors, data, located)
    except RecursionError:
        # json reads nesting some hundreds deep, which the error reports then recurse through.
        return ReadResult(None, [limit_diagnostic(find_fault(located.text), source.name)], None)
    if bank is not None:
        del data
        located.release()
    return ReadResult(bank, diagnostics, located)


def _too_large(source: Source) -> Diagnostic:
    return Diagnostic(
        "E-TOO-LARGE",
        f"the file is {len(source.data) / 2**20:,.0f} MiB; a bank may be at most "
        f"{MAX_BANK_BYTES // 2**20} MiB",
        file=source.name,
        hint="split it into several banks (each is exported on its own)",
    )


def model_from_data(data: Any, located: Located) -> tuple[Bank | None, list[Diagnostic]]:
    bank, diagnostics, refusal = _model_from_data(data, located)
    if refusal is not None:
        diagnostics = _pydantic_diagnostics(refusal.errors, data, located)
    return bank, diagnostics


@dataclass(frozen=True)
class _Refusal:
    """Why the model refused a bank: pydantic's errors (made diagnostics only when the
    schema finds nothing: located, each can cost a walk through the text), and the positions
    of the questions refused when only questions were (None when the bank around them was)."""

    errors: list[Any]
    flagged: set[int] | None


def no_unsafe_characters(raw: bytes, escaped: bool | None = None) -> bool:
    """Whether no string of the JSON file `raw` can hold a character XML cannot carry, by
    substring searches over the file rather than a pattern search of each of its strings.
    The parser refuses a control character written as itself, and UTF-8 cannot encode a
    surrogate (the file is refused undecoded), so only an escape (\\u, and JSON's \\b and
    \\f: U+0008 and U+000C) or U+FFFE or U+FFFF written as itself can bring one in. (A
    one-byte search runs at memchr speed, a longer one far slower: the byte that starts
    U+F000-U+FFFF is looked for first.) `escaped`: whether `raw` holds `\\u`, if known."""
    if escaped is None:
        escaped = holds(raw, b"\\u")
    return not escaped and not _short_control_escape(raw) and (
        b"\xef" not in raw or (b"\xef\xbf\xbe" not in raw and b"\xef\xbf\xbf" not in raw)
    )


def _short_control_escape(raw: bytes) -> bool:
    """Whether the JSON text may hold a \\b or \\f escape: a run of backslashes of odd length
    before `b` or `f` (an even one is escaped backslashes: LaTeX's `\\\\frac`). The runs are
    found at memchr speed, most banks have none or a few thousand; past _RUNS_LOOKED_AT the
    answer is yes, and the per-text check decides."""
    at = raw.find(b"\\")
    for _ in range(_RUNS_LOOKED_AT):
        if at == -1:
            return False
        run = _BACKSLASHES.match(raw, at)
        assert run is not None
        end = run.end()
        if (end - at) % 2 and raw[end : end + 1] in (b"b", b"f"):
            return True
        at = raw.find(b"\\", end)
    return at != -1


# A run of backslashes; how many are looked at before the per-text check is left to decide.
_BACKSLASHES = re.compile(rb"\\+")
_RUNS_LOOKED_AT = 100_000


def _model_from_data(
    data: Any, located: Located, characters_checked: bool = False
) -> tuple[Bank | None, list[Diagnostic], _Refusal | None]:
    """The bank and the problems of its rules; or, when the model refuses it, why.
    `characters_checked`: no_unsafe_characters holds for the file `data` was parsed from."""
    from pydantic import ValidationError

    from packager.model import problems_of
    from packager.model.types import CHARACTERS_CHECKED

    context = {"defer_invariants": True, CHARACTERS_CHECKED: characters_checked}
    try:
        bank = Bank.model_validate(data, context=context)
    except ValidationError as exc:
        errors = exc.errors()
        flagged: set[int] | None = set()
        for error in errors:
            loc = error["loc"]
            if flagged is not None and len(loc) > 1 and loc[0] == "questions" and (
                isinstance(loc[1], int)
            ):
                flagged.add(loc[1])
            else:
                flagged = None
        return None, [], _Refusal(errors, flagged)
    problems = [located.problem(p) for p in problems_of(bank)]
    return bank, problems, None


def _pydantic_diagnostics(errors: Any, data: Any, located: Located) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for error in errors:
        ctx_error = (error.get("ctx") or {}).get("error")
        if isinstance(ctx_error, InvariantError):
            diags.extend(located.problem(p) for p in ctx_error.problems)
            continue
        pointer = _pointer_from_loc(error["loc"], data)
        message = str(error["msg"]).removeprefix("Value error, ")
        diags.append(located.diagnostic("E-VALUE", pointer, message, _value_hint(message)))
    return diags


def _value_hint(message: str) -> str:
    if "control character" in message:
        return "delete the invisible character (often pasted from a word processor)"
    if "empty" in message or "white space" in message:
        return "write the text, or remove the field if it is optional"
    return "see the JSON Schema: packager schema"


def _pointer_from_loc(loc: tuple[Any, ...], data: Any) -> str:
    """Pydantic locations include union tags ('numeric', 'ExactAnswer'); drop those steps."""
    parts: list[str] = []
    current = data
    steps = list(loc)
    for index, step in enumerate(steps):
        if isinstance(current, dict) and isinstance(step, str) and step in current:
            current = current[step]
            parts.append(step.replace("~", "~0").replace("/", "~1"))
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            current = current[step]
            parts.append(str(step))
        elif index == len(steps) - 1 and isinstance(step, str):
            parts.append(step)  # a missing field: name it
    return "".join(f"/{p}" for p in parts)
