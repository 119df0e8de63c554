"""The images a bank read from a file shows from beside that file, carried into the import.

A text bank (`.md`, `.txt`) shows its images by paths relative to its own folder
(`![Figure 1](images/a.png)`), as `validate` and `export` read them. An import writes the bank
somewhere else, so it carries the files as any importer carries a package's media: in
`Imported.media` under `media/<the path>`, the texts pointing there (media_refs.moved_images);
`import_media.into_own_folder` then moves them into the bank's own folder.

Each file is checked as the checks of a bank check it (checks.media_path_problem: no absolute
path, nothing outside the source's folder, `..` or a link out of it included, a real PNG,
JPEG, GIF or WebP within the size limits), and a file that fails is the error `validate`
gives, at the line of the text that shows it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from packager.diagnostics import Diagnostic
from packager.errors import InputError
from packager.limits import MAX_BANK_MEDIA_BYTES, MAX_MEDIA_BYTES, mib
from packager.model import Bank, Problem
from packager.readers.imported import Imported

if TYPE_CHECKING:
    from packager.readers.base import Source
    from packager.readers.canonical import Located

CODE = "E-MEDIA"
# Where the images go in `Imported.media`, and so, for a moment, in the texts.
PREFIX = "media/"


def with_local_media(
    imported: Imported, source: Source, located: Located | None = None
) -> Imported:
    """`imported` with every local image its texts show, read from `source.base_dir`
    (`images/a.png` → `media/images/a.png`, in the texts and in `media`); InputError with
    each unusable one (located by `located` on the source's lines) when any is.
    Images on the web and `data:` URLs are not files: the checks judge them."""
    from packager.media_refs import NotMoved, TextTooLong, bank_with_moved_images

    problems: list[Problem] = []
    found = _Found(source.base_dir)
    for pointer, question_id, text in _showing_fields(imported.bank):
        for href in _rendered_media(text):
            problem = found.read(href)
            if problem is not None:
                problems.append(Problem(pointer, problem[0], CODE, problem[1], question_id))
    if found.too_much:
        problems.append(Problem(
            "", f"the bank's media files add up to more than the {mib(MAX_BANK_MEDIA_BYTES)} "
            "one bank may use", CODE, "use smaller images, or split the bank"))
    if problems:
        diagnostics = [_located(p, source, located) for p in problems]
        diagnostics.sort(key=lambda d: (d.line or 0, d.pointer or ""))
        raise InputError(
            f"{source.name}: {len(problems)} image{'s' if len(problems) != 1 else ''} of the "
            "bank cannot be carried; nothing was written",
            diagnostics=diagnostics,
        )
    if not found.files:
        return imported

    def new_href(href: str) -> str | None:
        return PREFIX + href if href in found.files else None

    try:
        bank = bank_with_moved_images(imported.bank, _showing_fields(imported.bank), new_href)
    except NotMoved as exc:
        raise InputError(f"{source.name}: could not point the images of {exc.where()} at the "
                         "imported bank's media; nothing was written") from None
    except TextTooLong as exc:
        raise InputError(f"{source.name}: {exc.message}", hints=exc.hints) from None
    media = dict(imported.media)
    for href, data in found.files.items():
        media.setdefault(PREFIX + href, data)
    return replace(imported, bank=bank, media=media)


class _Found:
    """The image files read so far (by normalised path, in first-use order), and why each
    href that cannot be read cannot (message, hint)."""

    def __init__(self, folder: Path) -> None:
        from packager.media_spelling import FolderNames

        self.folder = folder
        self.folder_names = FolderNames()  # each folder listed once for all the images
        self.files: dict[str, bytes] = {}
        self.problems: dict[str, tuple[str, str] | None] = {}
        self.total = 0
        self.too_much = False

    def read(self, href: str) -> tuple[str, str] | None:
        if href not in self.problems:
            self.problems[href] = self._read(href)
        return self.problems[href]

    def _read(self, href: str) -> tuple[str, str] | None:
        from packager.checks import media_path_problem
        from packager.media_refs import normal
        from packager.media_types import HEAD, media_type_problem

        # validate's own check, and hint
        problem = media_path_problem(href, self.folder, self.folder_names)
        if problem is not None:
            return problem
        name = normal(href)
        if name in self.files or self.too_much:
            return None
        # Read as it was checked: resolved again, inside the folder, no more than the limit
        # (it may have changed since).
        base = self.folder.resolve()
        path = (base / Path(*name.split("/"))).resolve()
        try:
            if not path.is_relative_to(base):
                raise OSError("it is now a link to a file outside the bank's folder")
            with path.open("rb") as file:
                data = file.read(MAX_MEDIA_BYTES + 1)
        except OSError as exc:
            return (f"media file {href!r} cannot be read: {exc.strerror or exc}",
                    "check its permissions")
        if len(data) > MAX_MEDIA_BYTES:
            return (f"media file {href!r} is more than the {mib(MAX_MEDIA_BYTES)} a media file "
                    "may have", "reduce it (a picture for a screen rarely needs more than 2 MiB)")
        problem = media_type_problem(href, data[:HEAD])
        if problem is not None:
            return problem
        self.total += len(data)
        if self.total > MAX_BANK_MEDIA_BYTES:
            self.too_much = True  # said once, for the bank; nothing more is read
            return None
        self.files[name] = data
        return None


def _showing_fields(bank: Bank) -> list[tuple[str, str | None, str]]:
    """The rich fields (pointer, question id, text) that may show an image: a question's
    pointers are built only for a question with such a text."""
    from packager.media_refs import may_show_image
    from packager.model.walk import bank_level_fields, question_rich_fields, question_texts

    fields = [f for f in bank_level_fields(bank) if may_show_image(f[2])]
    for i, q in enumerate(bank.questions):
        if any(may_show_image(t) for t in question_texts(q)):
            fields += [f for f in question_rich_fields(q, f"/questions/{i}")
                       if may_show_image(f[2])]
    return fields


def _rendered_media(text: str) -> tuple[str, ...]:
    from packager.richtext import render

    return render(text).media


def _located(problem: Problem, source: Source, located: Located | None) -> Diagnostic:
    if located is not None:
        return located.problem(problem)
    return Diagnostic(problem.code, problem.message, file=source.name, pointer=problem.pointer,
                      question_id=problem.question_id, hint=problem.hint)
