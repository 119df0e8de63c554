"""Another tool's file given where a bank is read: told by its content, with the import that
converts it.

`validate quiz.gift` said "invalid JSON: Expecting value … check for a missing comma", and an
exported package given to `export` "not valid UTF-8 … save the file as UTF-8": hints that
cannot help. Asked where a bank file is checked (pipeline._check), after the office
documents (readers/documents.py), only for data that is not JSON: a bank's first character
is `{`, and the JSON reader says what is wrong with any JSON.
"""

from __future__ import annotations

import importlib
from pathlib import PurePath

from packager.diagnostics import Diagnostic
from packager.readers.base import STDIN_NAME
from packager.readers.documents import CODE

_JSON_START = (b"{", b"[", b'"', b"")  # JSON (or nothing): the JSON reader's to judge
_TEXT_READER = "text"


def refusal(data: bytes, name: str) -> Diagnostic | None:
    """The diagnostic refusing another tool's file as a bank, or None when it may be JSON or
    is no format `import` reads."""
    from packager.formats import READERS

    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in _JSON_START:
        return None
    piped = name == STDIN_NAME
    stem = "bank" if piped else PurePath(name).stem
    given = "- --from {}" if piped else name
    for reader in READERS.values():
        if importlib.import_module(reader.module).detect(data):
            convert = f"packager import {given.format(reader.name)} --out {stem}.json"
            if reader.name == _TEXT_READER:
                return Diagnostic(
                    CODE, "the plain-text layout, not a JSON bank: a text bank is read as one "
                    "when its file name ends in .txt or .md", file=name,
                    hint=("give it as a file named so, " if piped else f"name it {stem}.txt, ")
                    + f"or convert it once: {convert}")
            return Diagnostic(
                CODE, f"{reader.title}, not a question bank: packager import converts it",
                file=name, hint=convert)
    if data.startswith(b"PK"):
        return Diagnostic(
            CODE, "a zip archive of no format packager imports, not a question bank", file=name,
            hint="packager check checks a package packager built; packager import reads LMS "
            "exports")
    return None
