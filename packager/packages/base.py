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
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from packager.checks import MediaFile
    from packager.context import BuildContext
    from packager.model import Bank


@dataclass(frozen=True)
class Part:
    """One file of an output; `schema` names the XSD key it must validate against (xsd.py).

    `tree` is the lxml tree `data` was serialized from, when the target kept it: validation
    then checks the tree instead of parsing the bytes again (a 50 MB QTI file: 0.4 s saved).
    """

    data: bytes
    schema: str | None = None
    tree: Any = field(default=None, compare=False, repr=False)


@dataclass
class Output:
    parts: dict[str, Part] = field(default_factory=dict)
    single_file: bool = False  # True: the one part is the artefact itself (not zipped)

    def add(self, path: str, data: bytes, schema: str | None = None) -> None:
        if path in self.parts:
            raise ValueError(f"duplicate package path {path!r}")
        self.parts[path] = Part(data, schema)

    def add_xml(self, path: str, tree: Any, schema: str | None = None) -> None:
        """Serialize an lxml tree (the one serializer) and keep it for validation."""
        from packager.xml.serialize import to_bytes

        if path in self.parts:
            raise ValueError(f"duplicate package path {path!r}")
        self.parts[path] = Part(to_bytes(tree), schema, tree)


@dataclass(frozen=True)
class Job:
    """What a target gets: a valid bank (unsupported questions already removed), its media."""

    bank: Bank
    media: list[MediaFile]
    ctx: BuildContext

    def media_bytes(self) -> dict[str, bytes]:
        return {m.href: m.path.read_bytes() for m in self.media}
