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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from packager.errors import InputError

if TYPE_CHECKING:
    from packager.checks import MediaFile
    from packager.context import BuildContext
    from packager.model import Bank
    from packager.xml.serialize import ChildRun


@dataclass(frozen=True)
class Part:
    """One file of an output; `schema` names the XSD key it must validate against (xsd.py).

    `tree` is the lxml tree `data` was serialized from, when the target kept it: validation
    then checks the tree instead of parsing the bytes again (a 50 MB QTI file: 0.4 s saved).
    """

    data: bytes
    schema: str | None = None
    tree: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Chunks:
    """A file given as pieces, written in order: a zip entry never holds them joined."""

    pieces: Sequence[bytes]
    schema: None = None

    def joined(self) -> bytes:
        return b"".join(self.pieces)


@dataclass(frozen=True)
class LazyXml:
    """An XML part whose tree is built only when the assembler writes it, then dropped.

    `reused`: the tree is a working copy that building another part changes (the QTI 2.x
    items of a package are built in place, one after another): write it before that."""

    build: Callable[[], Any]
    schema: str | None
    reused: bool = False


@dataclass
class StreamedXml:
    """A document whose repeated children (items, questions) are built lazily, in batches.

    `root` is the shell: everything but those children, with a marker comment where each run
    of children goes (`xml.serialize.child_run`). The package assembler
    (packages/assemble.py) builds, validates and serializes the children a batch at a time,
    so a 50,000-question file never exists as one tree; serialized, it is byte for byte what
    the whole tree would give. Each batch is validated in place in the shell, without the
    others: equivalent to validating the whole document for schemas without identity
    constraints (none of the XSDs packager writes for has xs:ID, xs:key or xs:unique) and
    where the runs are unbounded.
    """

    root: Any
    schema: str | None
    slots: Sequence[ChildRun]
    # A rule run on every child where it is built (possibly in a worker process): called as
    # check(path, child), or check(path, child, made) for a child filled in place (`made`:
    # its xml.templates.Filled), it returns a picklable report; the reports come back in
    # Assembled.reports. The export's self-check reads them instead of parsing the document.
    check: Callable[..., Any] | None = None


@dataclass(frozen=True)
class ChildReports:
    """What a StreamedXml's `check` reported of each child, run by run in document order,
    with the shell the children were built into (the markers say where each run went)."""

    root: Any
    markers: list[Any]
    reports: list[list[Any]]


Entry = Part | Chunks | LazyXml | StreamedXml


@dataclass
class Output:
    """The files of one artefact, in package order, produced lazily by packages/assemble.py.

    `parts` materializes everything in memory (for tests and small outputs).
    """

    entries: dict[str, Entry] = field(default_factory=dict)
    single_file: bool = False  # True: the one part is the artefact itself (not zipped)

    def _claim(self, path: str) -> None:
        if path in self.entries:
            # Targets name their own files distinctly, so the second claimant is a media file.
            raise InputError(
                f"two files would be stored at {path!r} in the package",
                hints=["a media file is named like a file the package writes; rename it"],
            )

    def add(self, path: str, data: bytes, schema: str | None = None) -> None:
        self._claim(path)
        self.entries[path] = Part(data, schema)

    def add_xml(self, path: str, tree: Any, schema: str | None = None) -> None:
        """An lxml tree, serialized (by the one serializer) and validated when assembled."""
        self._claim(path)
        self.entries[path] = Part(b"", schema, tree)

    def add_chunks(self, path: str, pieces: Sequence[bytes]) -> None:
        """A file of several pieces (e.g. one line per question), never joined when zipped."""
        self._claim(path)
        self.entries[path] = Chunks(pieces)

    def add_lazy_xml(
        self, path: str, build: Callable[[], Any], schema: str | None = None, *,
        reused: bool = False,
    ) -> None:
        """An lxml tree built by `build()` when the package is assembled (see LazyXml)."""
        self._claim(path)
        self.entries[path] = LazyXml(build, schema, reused)

    def add_streamed_xml(
        self,
        path: str,
        root: Any,
        schema: str | None,
        slots: Sequence[ChildRun],
        check: Callable[..., Any] | None = None,
    ) -> None:
        self._claim(path)
        self.entries[path] = StreamedXml(root, schema, slots, check)

    @property
    def parts(self) -> dict[str, Part]:
        """Every file in memory, serialized (streamed documents assembled whole)."""
        from packager.packages.assemble import materialize

        # Kept, so that asking twice does not build (and serialize) everything twice.
        parts = {path: materialize(entry) for path, entry in self.entries.items()}
        self.entries = dict(parts)
        return parts


def media_by_path(
    media: Sequence[MediaFile], to_path: Callable[[str], str]
) -> dict[str, MediaFile]:
    """Package path → media file, refusing two media files that one path would merge."""
    mapping: dict[str, MediaFile] = {}
    for item in media:
        path = to_path(item.href)
        other = mapping.setdefault(path, item)
        if other is not item:
            raise InputError(
                f"media {other.href!r} and {item.href!r} would both be {path!r} in the package",
                hints=["rename one of them: this format stores bank media under media/"],
            )
    return mapping


@dataclass(frozen=True)
class Job:
    """What a target gets: a valid bank (unsupported questions already removed), its media."""

    bank: Bank
    media: list[MediaFile]
    ctx: BuildContext

    def media_bytes(self) -> dict[str, bytes]:
        return {m.href: m.path.read_bytes() for m in self.media}
