"""The contract every target module fulfils (see packager/formats.py for the table).

A target module declares, at the top:
    NAME: str                    # the format name, e.g. "qti21"
    SPEC: str                    # spec name, version and URL
    EXTENSION: str               # file name suffix: "zip", "xml", "gift.txt", "txt"
    LOSSES: Mapping[Feature, Loss]   # what it cannot carry (capabilities.Feature)
and provides
    build(job: Job) -> Output
and optionally
    extra_fidelity(bank: Bank) -> list[FidelityNote]   # value-dependent losses/errors
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from packager.checks import MediaFile
    from packager.context import BuildContext
    from packager.model import Bank


@dataclass(frozen=True)
class Part:
    """One file of an output; `schema` names the XSD key it must validate against (xsd.py)."""

    data: bytes
    schema: str | None = None


@dataclass
class Output:
    parts: dict[str, Part] = field(default_factory=dict)
    single_file: bool = False  # True: the one part is the artefact itself (not zipped)

    def add(self, path: str, data: bytes, schema: str | None = None) -> None:
        if path in self.parts:
            raise ValueError(f"duplicate package path {path!r}")
        self.parts[path] = Part(data, schema)


@dataclass(frozen=True)
class Job:
    """What a target gets: a valid bank (unsupported questions already removed), its media."""

    bank: Bank
    media: list[MediaFile]
    ctx: BuildContext

    def media_bytes(self) -> dict[str, bytes]:
        return {m.href: m.path.read_bytes() for m in self.media}
