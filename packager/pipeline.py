"""The only orchestration: find banks, load and check them, build targets. Writes no files."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from packager.diagnostics import Diagnostic
from packager.errors import InputError, PackagerIOError, UsageError
from packager.readers.base import TEXT_SUFFIXES, Source
from packager.readers.encoding import holds
from packager.relpath import posix_order

if TYPE_CHECKING:
    from packager.capabilities import Feature, FidelityNote
    from packager.checks import BankScan, MediaFile
    from packager.context import BuildContext
    from packager.model import Bank

BANK_SUFFIX = ".json"


@dataclass(frozen=True)
class LoadedBank:
    bank: Bank
    source: Source
    diagnostics: tuple[Diagnostic, ...]
    scan: BankScan | None = None  # from loading: spares features and media a walk each

    @property
    def base_dir(self) -> Path:
        return self.source.base_dir

    # Computed once per bank and shared by every target built from it.
    @cached_property
    def features(self) -> dict[str, set[Feature]]:
        from packager.capabilities import bank_features

        return bank_features(self.bank, self.scan.flags if self.scan else None)

    @cached_property
    def media(self) -> list[MediaFile]:
        from packager.checks import bank_media, media_files

        if self.scan is not None:
            return media_files(self.scan.media, self.base_dir)
        return bank_media(self.bank, self.base_dir)


def find_banks(paths: list[Path]) -> list[Path]:
    """Expand folders to the .json banks inside (recursively, sorted); keep files as given.

    Only named files can be text banks: a folder's README.md or notes.txt is not a bank."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in _visible_files(path.rglob(f"*{BANK_SUFFIX}"))
                         if not packager_report(p.name))
        elif path.exists():
            found.append(path)
        else:
            raise PackagerIOError(
                f"{path}: no such file or folder",
                hints=[
                    "give a bank file (.json, or a .txt/.md text bank) or a folder of .json "
                    "banks, e.g. content/"
                ],
            )
    return list(dict.fromkeys(found))


def packager_report(name: str) -> bool:
    """Whether a JSON file is one packager wrote beside its packages (`Artifact.report_name`,
    build-report.json), not a bank: exported into the bank folder, every later `validate` of
    the folder read them as banks and failed."""
    from packager.formats import TARGETS
    from packager.release_records import REPORT_FILE

    if name == REPORT_FILE:
        return True
    stem, _, suffix = name.rpartition(".")
    stem, _, kind = stem.rpartition(".")
    return (suffix, kind) == ("json", "report") and stem.rpartition(".")[2] in TARGETS


def _visible_files(found: Iterable[Path]) -> list[Path]:
    """The files of a folder's walk, sorted; none hidden or in a hidden folder (.git, .venv)."""
    return [p for p in sorted(found, key=posix_order)
            if p.is_file() and not any(part.startswith(".") for part in p.parts)]


def no_banks_found(paths: list[Path]) -> UsageError:
    """The error for `paths` holding no bank (find_banks found none). A folder gives only its
    .json banks, so the text banks in a folder given are named, with how to give them."""
    texts = [p for path in paths if path.is_dir() for p in _visible_files(path.rglob("*"))
             if p.suffix.lower() in TEXT_SUFFIXES]
    hints = []
    if texts:
        shown = ", ".join(str(p) for p in texts[:3]) + (", …" if len(texts) > 3 else "")
        several = len(texts) > 1
        hints.append(
            f"{len(texts)} text file{'s' if several else ''} ({shown}) "
            f"{'are' if several else 'is'} read as a bank only when named, as a folder's "
            f"README.md is no bank: name {'them' if several else 'it'}, "
            f"e.g. {texts[0].parent / ('*' + texts[0].suffix)}"
        )
    hints.append("give bank files, or put .json banks in content/")
    where = ", ".join(str(path) for path in paths)
    return UsageError(f"no banks found in {where}", hints=hints)


def check(source: Source) -> tuple[Bank | None, list[Diagnostic]]:
    """Every diagnostic for one bank file: syntax, schema, model rules, rich text, media.
    Texts that cannot hold a problem are not rendered (checks.bank_problems_found)."""
    bank, diagnostics, _ = _check(source, for_output=False)
    return bank, diagnostics


def _check(
    source: Source, *, for_output: bool
) -> tuple[Bank | None, list[Diagnostic], BankScan | None]:
    """`for_output`: the bank will be written out, so scan (and render) all of it.

    A check or load of a JSON bank starts rendering on another core
    (render_pool.EarlyRendering) before the model is even imported: the worker needs neither
    pydantic nor the models, which take this process about 0.1 s to import."""
    from packager.context import usable_cores
    from packager.readers.base import is_text_source
    from packager.readers.documents import refusal
    from packager.render_pool import early_rendering

    document = refusal(source.data, source.name)  # a Word file named bank.json or .txt
    if document is not None:
        return None, [document], None
    text_bank = is_text_source(source.name)
    if not text_bank:
        from packager.readers import other_formats

        foreign = other_formats.refusal(source.data, source.name)  # `validate quiz.gift`
        if foreign is not None:
            return None, [foreign], None
    with early_rendering(usable_cores()) as early:
        if not text_bank:
            early.start(source.data, source.path, for_output=for_output)
        from packager.checks import bank_problems_found, scan_bank
        from packager.readers import canonical

        # A text bank (.txt, .md) is read by its own reader, then checked like any other.
        if text_bank:
            from packager.readers import text

            result = text.read_result(source)
        else:
            result = canonical.read(source, on_parsed=early.parsed)
        bank, diagnostics, located = result.bank, result.diagnostics, result.located
        scan = None
        if bank is not None:
            early.built(bank.questions)
        if bank is not None and located is not None:
            if for_output:
                scan = scan_bank(bank, source.base_dir, early)
                found = scan.problems
            else:
                found = bank_problems_found(bank, source.base_dir, early)
            diagnostics = diagnostics + [located.problem(p) for p in found]
    diagnostics.sort(key=lambda d: (d.line or 0, d.column or 0))
    if any(d.is_error for d in diagnostics):
        return None, diagnostics, None
    return bank, diagnostics, scan


def load(path: Path) -> LoadedBank:
    """A checked bank, or InputError carrying every diagnostic."""
    return load_source(Source.from_path(path))


def load_source(source: Source) -> LoadedBank:
    """A checked bank from bytes already read (a file's, or data's: packager.api)."""
    bank, diagnostics, scan = _check(source, for_output=True)
    if bank is None:
        n = sum(d.is_error for d in diagnostics)
        raise InputError(
            f"{source.name}: {n} error{'s' if n != 1 else ''}; nothing was written",
            diagnostics=diagnostics,
        )
    return LoadedBank(bank, source, tuple(diagnostics), scan)


@contextmanager
def kept_for_good() -> Iterator[None]:
    """Load what lives until the process ends (a command's banks) inside this.

    The collector is off meanwhile and what was loaded is frozen before it comes back on, so
    no collection ever scans those million objects: re-enabled first, it rescanned them all
    at once (0.1-0.15 s of loading a 10,000-question bank), and forked workers would copy
    the pages whose object headers a collection writes to."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def prewarm_schemas(
    target_names: Sequence[str], ctx: BuildContext, banks: Sequence[Path] | None = None
) -> None:
    """Start compiling every XSD these targets validate against, in a background thread:
    call it before loading banks, so libxml2 compiles on the other core meanwhile (QTI 3.0
    alone takes ~1.7 s). Forked build workers inherit the compiled schemas. Given the bank
    files, MathML's schema is left out when none may hold math (xsd.MATHML_IMPORTERS)."""
    from packager import xsd
    from packager.formats import TARGETS

    if ctx.validate_output:
        xsd.prewarm(
            (k for name in target_names for k in TARGETS[name].schemas),
            ctx.xsd_dir,
            mathml=banks is None or any(may_hold_math(path) for path in banks),
        )


def may_hold_math(path: Path) -> bool:
    """Whether a bank file may render MathML: it holds `$` or a backslash before `(`, `[` or
    `u` (math delimiters, or an escape that may spell one) or "math" in any case (MathML
    written as MathML), or cannot be read. A guess for speed only: a document that holds
    MathML is validated against MathML's schema whatever this says (packager.xsd).

    Read a piece at a time up to the first sign, on the build's one busy core before the
    banks load (which read the file again): a bank with math shows one early (the rich bench
    bank's first `$` is 13 KB in), where reading all of a large bank costs a share of the
    load's time."""
    try:
        with path.open("rb") as file:
            return _holds_math_sign(file)
    except OSError:
        return True


_MATH_SIGNS = (b"\\(", b"\\[", b"\\u")
_MATH_PIECE = 1 << 20


def _holds_math_sign(file: IO[bytes]) -> bool:
    kept = b""  # the last piece's end, where a sign may begin ("math" is 4 bytes)
    while piece := file.read(_MATH_PIECE):
        data = kept + piece
        if b"$" in data:  # at memchr speed: most banks with math have it
            return True
        # encoding.holds: the regex engine finds these signs several times faster than `in`.
        if any(holds(data, sign) for sign in _MATH_SIGNS) or holds(data.lower(), b"math"):
            return True
        kept = data[-3:]
    return False


@dataclass(frozen=True)
class Artifact:
    """One built output: file name (relative to the bank's output folder), bytes, notes."""

    name: str
    data: bytes
    notes: tuple[FidelityNote, ...]
    validated: tuple[str, ...]  # parts checked against an XSD
    bank: Bank
    target: str
    ctx: BuildContext

    @property
    def report_name(self) -> str:
        """The report's file name beside the package: `<bank>-<version>.<format>.report.json`."""
        return f"{self.name.rsplit('.', 1)[0]}.report.json"

    @cached_property
    def report(self) -> dict[str, object]:
        """The fidelity report (`<name>.report.json`): every question, what it lost."""
        return fidelity_report(
            self.bank, self.target, self.name, self.notes, list(self.validated), self.ctx
        )

    def summary(self) -> dict[str, Any]:
        return fidelity_summary(self.bank, self.notes, self.validated)


def fidelity_summary(
    bank: Bank, notes: Sequence[FidelityNote], validated: Sequence[str] = ()
) -> dict[str, Any]:
    """What build-report.json keeps of a bank × format, without one entry per question (a
    build of 50,000 questions spent 0.1-0.2 s per artefact building entries it then
    dropped); for a pair skipped as carrying none of the bank, what it would have lost."""
    by_question = _notes_by_question(notes)
    skipped = [q.id for q in bank.questions if _skipped(by_question.get(q.id, []))]
    return {
        "questions_exported": len(bank.questions) - len(skipped),
        "questions_skipped": skipped,
        "fidelity": [n.to_json() for q in bank.questions for n in by_question.get(q.id, [])]
        + [n.to_json() for n in by_question.get(None, [])],
        "xsd_validated": sorted(validated),
    }


def artifact_name(bank: Bank, target_name: str, extension: str) -> str:
    return f"{bank.id}-{bank.version}.{target_name}.{extension}"


def export(
    loaded: LoadedBank, target_name: str, ctx: BuildContext, into: IO[bytes] | None = None
) -> Artifact:
    """Build one target for one checked bank; validate its XML; return bytes and report.
    With `into` (a seekable file, read back by the self-check), the bytes are written there
    as they are made, never held whole, and `Artifact.data` is empty."""
    import gc

    # Building allocates millions of objects that live until the artefact is done; the
    # collector's generational scans of them found nothing to free and cost 1 s of a 13 s
    # QTI 2.1 export of 50,000 questions. It is switched back on (if it was on) afterwards.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _export(loaded, target_name, ctx, into)
    finally:
        if enabled:
            gc.enable()


def export_each(
    item: LoadedBank, names: list[str], ctx: BuildContext
) -> tuple[list[tuple[Artifact, str]], list[tuple[str, str]]]:
    """The bank's package in each format, and (format, why) for each format skipped as
    carrying none of its questions (only with --skip-unsupported). As in `packager build`, a
    bank that no format given can carry is an error: asked to export it, writing nothing of
    it is not skipping what a format cannot express."""
    from packager.errors import NothingToExport, UnsupportedError

    built: list[tuple[Artifact, str]] = []
    nothing: list[tuple[str, NothingToExport]] = []
    for name in names:
        try:
            built.append((export(item, name, ctx), name))
        except NothingToExport as caught:
            nothing.append((name, caught))
    if built or not nothing:
        return built, [(name, caught.reason) for name, caught in nothing]
    if len(nothing) == 1:
        raise nothing[0][1]
    raise UnsupportedError(
        f"{item.source.name}: no format given can carry this bank: "
        + "; ".join(caught.reason for _, caught in nothing),
        hints=["add a format that carries its question types (`packager formats --table`)"],
    )


def fidelity_notes(loaded: LoadedBank, target_name: str) -> list[FidelityNote]:
    """What one target loses of this bank: the losses it declares that the bank hits, then
    its value-dependent ones. The export's report and `packager preview` both show these."""
    from packager import capabilities
    from packager.formats import TARGETS

    module = TARGETS[target_name].load()
    notes = capabilities.fidelity(loaded.bank, module.LOSSES, loaded.features)
    if hasattr(module, "extra_fidelity"):
        notes.extend(module.extra_fidelity(loaded.bank))
    # A question the target cannot carry is refused or skipped whole, so nothing else of it
    # is lost (capabilities.fidelity does the same for a type the target lacks); else a
    # skipped question's notes would fail --strict and tell of a form it never took.
    refused = set(capabilities.unsupported_ids(notes))
    if refused:
        notes = [n for n in notes if n.kind == "unsupported" or n.question_id not in refused]
    return notes


def _export(
    loaded: LoadedBank, target_name: str, ctx: BuildContext, into: IO[bytes] | None
) -> Artifact:
    from packager import capabilities
    from packager.checks import bank_media
    from packager.errors import NothingToExport, OutputValidationError, UnsupportedError
    from packager.formats import TARGETS
    from packager.package_check import structural_problems
    from packager.packages.assemble import assemble
    from packager.packages.base import Job

    module = TARGETS[target_name].load()
    bank = loaded.bank
    notes = fidelity_notes(loaded, target_name)
    unsupported = capabilities.unsupported_ids(notes)
    if unsupported and not ctx.skip_unsupported:
        details = [n for n in notes if n.kind == "unsupported"]
        raise UnsupportedError(
            f"{loaded.source.name}: {target_name} cannot express {len(unsupported)} "
            f"question{'s' if len(unsupported) != 1 else ''}: "
            + "; ".join(f"'{n.question_id}' ({n.message})" for n in details),
            hints=["pass --skip-unsupported to export the rest and list them in the report "
                   "(`build`: skip_unsupported = true in its config)"],
        )
    # Before --strict: a package that is never made loses nothing (a release build skips it).
    if set(unsupported) >= {q.id for q in bank.questions}:
        raise NothingToExport(
            loaded.source.name, _carries_none(target_name, notes), fidelity_summary(bank, notes)
        )
    lossy = [n for n in notes if n.kind != "unsupported"]
    if lossy and ctx.strict:
        raise UnsupportedError(
            f"{loaded.source.name}: {target_name} would lose content (--strict): "
            + "; ".join(f"'{n.question_id or bank.id}': {n.message}" for n in lossy),
        )
    if unsupported:
        kept = capabilities.without_questions(bank, set(unsupported))
        job = Job(bank=kept, media=bank_media(kept, loaded.base_dir), ctx=ctx)
    else:
        job = Job(bank=bank, media=loaded.media, ctx=ctx)
    # The writer describes the parts; the assembler builds, validates and compresses them.
    output = module.build(job)
    single_file = output.single_file
    name = artifact_name(bank, target_name, module.EXTENSION)
    try:
        assembled = assemble(output, ctx, into)
    except UnsupportedError as too_large:  # a document past what its zip entry holds
        raise UnsupportedError(f"{name}: {too_large.message}", hints=too_large.hints) from None
    del output  # its parts: freed before the self-check reads the package
    data, validated, xsd_errors = assembled.data, assembled.validated, assembled.errors
    if xsd_errors:
        raise OutputValidationError(
            f"{name}: the output does not validate against its XSD (a packager bug; "
            "please report it with the bank)",
            hints=xsd_errors[:20],
        )
    # What `packager check` would find besides the XSDs: a manifest naming a missing file,
    # a Canvas rule broken. A bug of that kind fails here rather than in the LMS import.
    # Streamed documents are checked from what the assembler found in their children.
    problems = (
        # A zip or a document by what was built, not by its first bytes: an Aiken file
        # whose first question starts "PK" is a document.
        structural_problems(name, data if into is None else into, single_file,
                            assembled.reports)
        if ctx.validate_output
        else []
    )
    if problems:
        raise OutputValidationError(
            f"{name}: the package fails packager check (a packager bug; please report it "
            "with the bank)",
            hints=problems[:20],
        )
    return Artifact(name, data, tuple(notes), tuple(validated), bank, target_name, ctx)


def _carries_none(target_name: str, notes: Sequence[FidelityNote]) -> str:
    """Why no question of the bank can go to this target, one clause per reason the target
    gives: "(essay, numeric: Aiken has single-choice questions only)"."""
    features: dict[str, list[str]] = {}
    for n in notes:
        if n.kind == "unsupported" and n.question_id:
            named = features.setdefault(n.message, [])
            if n.feature not in named:
                named.append(n.feature)
    why = "; ".join(f"{', '.join(named)}: {message}" for message, named in features.items())
    return f"no question of this bank can be exported to {target_name} ({why})"


def _notes_by_question(notes: Sequence[FidelityNote]) -> dict[str | None, list[FidelityNote]]:
    by_question: dict[str | None, list[FidelityNote]] = {}
    for note in notes:
        by_question.setdefault(note.question_id, []).append(note)
    return by_question


def _skipped(notes: list[FidelityNote]) -> bool:
    return any(n.kind == "unsupported" for n in notes)


def fidelity_report(
    bank: Bank,
    target_name: str,
    file_name: str,
    notes: Sequence[FidelityNote],
    validated: list[str],
    ctx: BuildContext,
) -> dict[str, object]:
    by_question = _notes_by_question(notes)
    questions: list[dict[str, Any]] = []
    skipped = 0
    for q in bank.questions:
        q_notes = by_question.get(q.id)
        if q_notes is None:  # most questions of a bank: written after the package, alone
            questions.append({"id": q.id, "type": q.type, "status": "exported", "notes": []})
            continue
        status = "skipped" if _skipped(q_notes) else "exported"
        skipped += status == "skipped"
        questions.append(
            {"id": q.id, "type": q.type, "status": status, "notes": [n.to_json() for n in q_notes]}
        )
    return {
        "bank": bank.id,
        "version": bank.version,
        "format": target_name,
        "file": file_name,
        "questions": questions,
        "bank_notes": [n.to_json() for n in by_question.get(None, [])],
        "summary": {
            "exported": len(questions) - skipped,
            "skipped": skipped,
            "dropped_or_changed": sum(1 for n in notes if n.kind != "unsupported"),
        },
        "xsd_validated": sorted(validated),
    }
