"""Import orchestration: a foreign file → an `Imported` bank → a checked canonical bank and its
media, written only when the bank passes every check a bank passes. Writes nothing itself
but through `write`, which stages every file before the first is renamed into place.
"""

from __future__ import annotations

import contextlib
import importlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packager.diagnostics import Diagnostic
from packager.errors import InputError, PackagerError, PackagerIOError, UsageError
from packager.formats import AUTO, READERS
from packager.import_media import into_own_folder
from packager.model import Bank
from packager.readers.base import Source
from packager.readers.canonical import gc_paused
from packager.readers.imported import Imported, ImportNote, Location
from packager.relpath import (
    placed_under,
    relpath_problem,
)

if TYPE_CHECKING:
    from packager.render_pool import EarlyRendering

TEXT_READER = "text"


def detect(source: Source) -> str:
    """The reader for a file, from its content (never its name): each reader's own test, in
    the registry's order (packages first, the plain-text layout last); UsageError when none
    fits."""
    from packager.readers.sniff import is_xml_or_json

    _no_document(source, zips=False)  # an RTF file reads as text: asked before any reader
    for name, reader in READERS.items():
        if importlib.import_module(reader.module).detect(source.data):
            return name
    zipped = source.data.startswith(b"PK")
    if zipped:
        _no_document(source, zips=True)  # a .docx is a zip of no package reader's
        _read_manifest(source)  # a broken zip or manifest says so, located, rather than below
    markup = is_xml_or_json(source.data)
    if not markup and source.data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?xml"):
        # XML by its declaration, but not well-formed: told where, as its reader would
        # (it was "cannot tell its format"; `--from qti12` showed the cause).
        from packager.readers.safe_xml import parse_xml

        parse_xml(source.data, source.name)
    kind = (
        "a zip archive" if zipped
        else "XML" if markup and source.data.lstrip()[:1] == b"<"
        else "JSON" if markup
        else None
    )
    raise UsageError(
        f"{source.name}: cannot tell its format" + (f" ({kind} of no known kind)" if kind else ""),
        hints=[
            "name it with --from: " + ", ".join(READERS),
            "a JSON bank needs no import: packager validate FILE",
        ],
    )


def _detected(source: Source, result: ImportResult) -> str:
    """`detect`; a .txt or .md file whose content no reader's test takes is read as the
    plain-text layout after all (and said so), for its reader's located errors: a text bank
    with a mistake in every question has no question that looks like the layout."""
    from packager.readers.base import is_text_source
    from packager.readers.sniff import is_xml_or_json

    try:
        return detect(source)
    except UsageError:
        data = source.data
        # Markup no reader takes may be Markdown still (an mkdocs-quiz `<quiz>` block); JSON
        # named .md is not.
        markup = is_xml_or_json(data) and data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"<"
        if not is_text_source(source.name) or data.startswith(b"PK") or markup:
            raise
        result.by_name = True
        return TEXT_READER


def _in_source(diagnostics: list[Diagnostic], source: Source, reader: str,
               target: Path) -> list[Diagnostic]:
    """The problems of a bank that is not written, named after its source: a text bank's on
    the lines of its text (as `validate FILE.md` gives them), others' by question and field;
    never at a line of a file that was never written. Their messages keep the destination
    (an image is to be put beside the bank)."""
    located = None
    if reader == TEXT_READER:
        from packager.readers import text

        located = text.read_result(source).located
    return [
        replace(d, file=source.name, column=None,
                line=located.line_of(d.pointer) if located and d.pointer else None)
        if d.file == target.as_posix() else d
        for d in diagnostics
    ]


def _read_manifest(source: Source) -> None:
    """Read a zip and its manifest as the package readers do, for their errors: a package
    whose imsmanifest.xml is not well-formed, or is named `IMSMANIFEST.XML`, is no kind the
    readers can tell, and the parse error (file, line) or the name says why better than "no
    known kind"."""
    from packager.readers.safe_xml import parse_xml
    from packager.readers.safe_zip import CODE, MANIFEST, Archive, misnamed_manifest

    archive = Archive(source.data, source.name)
    misnamed = misnamed_manifest(archive, CODE)
    if misnamed is not None:
        raise misnamed
    if MANIFEST in archive:
        stored = MANIFEST if archive.folder is None else f"{archive.folder}/{MANIFEST}"
        parse_xml(archive[MANIFEST], f"{source.name}!{stored}")


def _no_document(source: Source, *, zips: bool) -> None:
    """InputError for a word-processor, spreadsheet or PDF file (readers/documents.py)."""
    from packager.readers.documents import refusal

    problem = refusal(source.data, source.name, zips=zips)
    if problem is not None:
        raise InputError(f"{source.name}: {problem.message}", diagnostics=[problem])


def read(source: Source, name: str) -> Imported:
    """What the reader `name` makes of a source (readers of text formats return a bare Bank),
    with only the media files its bank shows."""
    # `--from gift` on an RTF file, `--from text` on a .docx: refused, not misread. A zip's
    # names are read once more for a package (a few milliseconds at 10,000 items).
    _no_document(source, zips=True)
    try:
        result = importlib.import_module(READERS[name].module).read(source)
    except InputError as exc:
        try:
            folder = _package_folder(source)
        except InputError:  # the zip itself is refused, as the reader has said
            folder = None
        if folder is None:
            raise
        stored = _as_stored(source.name, folder)
        raise InputError(stored(exc.message), hints=exc.hints, diagnostics=[
            replace(d, file=stored(d.file)) if d.file else d for d in exc.diagnostics
        ]) from None
    imported = result if isinstance(result, Imported) else Imported(result)
    folder = _package_folder(source)
    if folder is not None:
        stored = _as_stored(source.name, folder)
        note = ImportNote(None, Location(source.name), "changed",
                          f"the package is read from the zip's folder {folder!r}, which holds "
                          "its imsmanifest.xml, as if that folder were the zip's root")
        imported = replace(imported, notes=[note, *(
            replace(n, location=replace(n.location, file=stored(n.location.file)))
            for n in imported.notes)])
    return _shown_media_only(imported)


def _as_stored(name: str, folder: str) -> Callable[[str], str]:
    """What names the entries of the zip `name` as the readers name them from the package's
    folder (`quiz.zip!imsmanifest.xml`) in a text, names them as the zip holds them
    (`quiz.zip!quiz/imsmanifest.xml`): an entry told by the other name is not in the zip."""
    label = f"{name}!"
    return lambda text: text.replace(label, f"{label}{folder}/")


def _package_folder(source: Source) -> str | None:
    """The folder a package was zipped together with, which the readers took for its root:
    the zip's names checked once more (38 ms of CPU at 10,000 items, against seconds of
    reading), where each reader would carry its folder to its notes and errors."""
    from packager.readers.safe_zip import Archive, is_zip

    return Archive(source.data, source.name).folder if is_zip(source.data) else None


def _shown_media_only(imported: Imported) -> Imported:
    """Without the media files no text of the bank shows: a reader extracts an item's images
    as it reads the item, and an item can be left out after that (its note says why). Every
    media file a reader extracts is an image, shown by an <img> of a text under `media/`;
    the checks render those texts anyway (render keeps what it rendered)."""
    if not imported.media:
        return imported
    from packager.media_refs import may_show_image, normal
    from packager.model.walk import bank_texts
    from packager.richtext import render

    shown = {normal(href) for text in bank_texts(imported.bank) if may_show_image(text)
             for href in render(text).media}
    kept = {href: data for href, data in imported.media.items() if href in shown}
    if len(kept) == len(imported.media):
        return imported
    return replace(imported, media=kept)


def with_overrides(imported: Imported, bank_id: str | None, title: str | None) -> Imported:
    """The imported bank with --id/--title, each validated as the model validates it."""
    from pydantic import ValidationError

    overrides = {"id": bank_id, "title": title}
    update = {k: v for k, v in overrides.items() if v is not None}
    if not update:
        return imported
    bank = imported.bank.model_copy()
    for key, value in update.items():
        try:
            Bank.__pydantic_validator__.validate_assignment(bank, key, value)
        except ValidationError as exc:
            message = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise UsageError(f"--{key} {value!r}: {message}") from None
    return Imported(bank, imported.media, imported.notes)


def files(imported: Imported, out: Path) -> list[tuple[Path, bytes]]:
    """The files an import writes: the canonical bank, then each media file beside it."""
    from packager.writers.canonical import write

    text = write(imported.bank)
    for href in imported.media:
        # Readers name media from strangers' packages: whatever they pass on, nothing is
        # written outside the bank's folder (nor checked outside the scratch folder).
        problem = relpath_problem(href)
        if problem is not None:
            raise InputError(
                f"the import names a media file {href!r}, which {problem}; nothing was written"
            )
    media: list[tuple[Path, bytes]] = []
    for href, data in sorted(imported.media.items()):
        # A `media` folder already there may be a link (a stranger's repository holds one):
        # written through it, the images would land wherever it leads.
        target, problem = placed_under(out.parent, href)
        if problem is not None:
            raise PackagerIOError(
                f"{target}: refusing to write it: the path {problem} "
                f"({out.parent.resolve()}); nothing was written",
                hints=["import into a folder without links, or remove the link"])
        media.append((target, data))
    return [(out, text), *media]


def checked(
    imported: Imported,
    out: Path,
    planned: list[tuple[Path, bytes]] | None = None,
    early: EarlyRendering | None = None,
) -> tuple[Bank | None, list[Diagnostic]]:
    """The bank as it will be once written, checked like any bank (schema, rules, rich text,
    media by their bytes), with its media in a scratch folder instead of their destination.

    `planned` is what `files` gives for it, when the caller has it: the bank is serialised
    once. Readers build their banks through the models (and `with_overrides` validates what
    it changes), and the written text reads back as the same bank (the golden imports test
    this for every fixture), so the bank in memory is checked first: reading the text back
    would parse and validate it all again, which is most of a `validate`. Only when something
    is to be said is the written text itself checked, so that every diagnostic points at a
    line of the file that is written. `early`: the checks' rendering, begun before (joined
    once the texts to render are known)."""
    from packager.pipeline import check

    if planned is None:
        planned = files(imported, out)
    with tempfile.TemporaryDirectory(prefix="packager-import-") as scratch:
        base = Path(scratch)
        for path, data in planned[1:]:
            target = base / path.relative_to(out.parent)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            except OSError as exc:  # a path longer than the system opens, say
                raise _not_written(path, exc) from None
        if _nothing_to_say(imported.bank, base, len(planned[0][1]), early):
            return imported.bank, []
        bank, diagnostics = check(Source(out.as_posix(), planned[0][1], base))
    # Messages name files where they will be, not in the scratch folder that is gone.
    where = str(out.parent.resolve())
    return bank, [
        replace(d, message=d.message.replace(str(base), where),
                hint=d.hint.replace(str(base), where) if d.hint else d.hint)
        for d in diagnostics
    ]


def _nothing_to_say(bank: Bank, base: Path, size: int, early: EarlyRendering | None) -> bool:
    """Whether the checks of a bank file (see `pipeline.check`) would find no error and no
    warning in this bank, written as `size` bytes with its media in `base`."""
    from packager.checks import bank_problems_found
    from packager.limits import MAX_BANK_BYTES
    from packager.model import problems_of

    # The rules as the reader's model walked them for this bank (no second walk).
    if size > MAX_BANK_BYTES or problems_of(bank):
        return False
    return not bank_problems_found(bank, base, early)


def collisions(planned: list[tuple[Path, bytes]], force: bool) -> list[str]:
    """Files that exist and would change: refused unless --force (identical media are fine)."""
    found = []
    for index, (path, data) in enumerate(planned):
        try:
            exists = path.exists()
        except OSError as exc:  # ENAMETOOLONG: exists() answers only "no such file" itself
            raise _not_written(path, exc) from None
        if not exists or force:
            continue
        if index > 0 and path.is_file() and path.read_bytes() == data:
            continue
        found.append(str(path))
    return found


def _not_written(path: Path, exc: OSError) -> PackagerIOError:
    """The error for a file of the import the system refuses before it is written: a media
    path from a package (each segment within 255 bytes) of more than 4,096 bytes was a
    traceback."""
    from packager.relpath import windows_path_limit

    hint = windows_path_limit(path)
    return PackagerIOError(f"{path}: cannot write: {exc.strerror or exc}; nothing was written",
                           hints=[hint] if hint else [])


@dataclass
class ImportResult:
    source: str
    detected: str | None = None
    by_name: bool = False  # the plain-text layout for a .txt/.md that no reader's test took
    output: str | None = None
    imported: Imported | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: PackagerError | None = None
    bank_text: bytes | None = None  # the bank, when it was asked for instead of written

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_json(self) -> dict[str, Any]:
        imported = self.imported
        return {
            "source": self.source,
            "detected": self.detected,
            "ok": self.ok,
            "output": self.output if self.ok else None,
            "questions": len(imported.bank.questions) if imported and self.ok else 0,
            "media": sorted(imported.media) if imported and self.ok else [],
            "notes": [n.to_json() for n in imported.notes] if imported else [],
            "error": self.error.message if self.error else None,
            "diagnostics": [d.to_json() for d in self.diagnostics],
        }


def import_file(
    path: Path | Source,
    from_: str,
    out: Path | None,
    *,
    bank_id: str | None = None,
    title: str | None = None,
    force: bool = False,
) -> ImportResult:
    """Read, check and write one source; every expected failure is in the result, so that a
    run over many sources reports each of them. `path` may be a Source already read (stdin);
    `out` None writes nothing and puts the bank in `bank_text` (stdout), for a source without
    media."""
    from packager.fsutil import file_lock

    # `/` between folders on every system, as in a Source's name: the import report.
    result = ImportResult(path.name if isinstance(path, Source) else path.as_posix())
    try:
        # One import of a bank at a time: two found no file to overwrite, and the last won.
        with file_lock(out) if out is not None else contextlib.nullcontext():
            _import_into(result, path, from_, out, bank_id=bank_id, title=title, force=force)
    except PackagerError as exc:
        result.error = exc
        result.diagnostics = result.diagnostics or list(exc.diagnostics)
    return result


def _import_into(
    result: ImportResult,
    path: Path | Source,
    from_: str,
    out: Path | None,
    *,
    bank_id: str | None,
    title: str | None,
    force: bool,
) -> None:
    from packager.context import usable_cores
    from packager.fsutil import remove_stale_stagings, write_all
    from packager.render_pool import early_rendering, reading

    if out is not None and out.exists() and not force:
        raise UsageError(f"{out} exists", hints=["pass --force to overwrite it"])
    source = path if isinstance(path, Source) else Source.from_path(path)
    name = _detected(source, result) if from_ == AUTO else from_
    result.detected = name
    with early_rendering(usable_cores()) as early:
        # A reader builds the bank as a tree of a million containers without reference
        # cycles: the collector's full scans of it found nothing and cost a fifth of a
        # 10,000-question text import (as `canonical.read` pauses it for a JSON bank).
        # The checks' rendering starts on another core as the reader has read the
        # questions (render_pool.questions_read), while it builds the bank and this
        # process writes it out; or else once the bank is built.
        with gc_paused(), reading(early):
            imported = with_overrides(read(source, name), bank_id, title)
            if out is not None:
                imported = into_own_folder(imported, out, source.name)
        result.imported = imported
        if out is None and imported.media:
            raise UsageError(
                f"{source.name}: the bank has {len(imported.media)} media files, which stdout "
                "cannot carry; nothing was written",
                hints=["write it to a file (--out FILE.json): its media go beside it"],
            )
        target = out if out is not None else Path("<stdout>")  # named in messages only
        early.start_model(imported.bank.questions)
        with gc_paused():
            planned = files(imported, target)
        taken = collisions(planned, force) if out is not None else []
        if taken:
            raise UsageError(
                f"{source.name}: would overwrite {', '.join(taken)}",
                hints=["pass --force to overwrite, or choose another --out / --out-dir"],
            )
        bank, diagnostics = checked(imported, target, planned, early)
    if bank is None:
        diagnostics = _in_source(diagnostics, source, name, target)
    result.diagnostics = diagnostics
    if bank is None:
        raise InputError(
            f"{source.name}: the imported bank is not valid; nothing was written",
            diagnostics=diagnostics,
        )
    if out is None:
        result.bank_text = planned[0][1]
    else:
        remove_stale_stagings([path for path, _ in planned])
        # The bank last: a run stopped halfway leaves images no bank names yet, never a
        # bank naming images of an earlier import, or none.
        write_all([*planned[1:], planned[0]])
    result.output = out.as_posix() if out is not None else "-"
