"""Word-processor, spreadsheet and PDF files given as banks: told by their first bytes (or a
zip's entry names) and refused with how to save the questions as text.

Designers keep questions in Word, Pages, TextEdit, LibreOffice or Excel. Read as text, an RTF file
imported its control words as the scenario (`{\\rtf1\\ansi…`), and a .docx given to
`export` was "not valid UTF-8". Asked in two places, before any reader runs: where a bank
file is checked (pipeline._check: validate, export, build, preview) and where a file is
imported (importing.detect, before any reader's own test, so none mistakes one for its own;
importing.read, for a reader named with --from).
"""

from __future__ import annotations

import io
import zipfile
from typing import NamedTuple

from packager.diagnostics import Diagnostic

CODE = "E-DOCUMENT"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc, Excel .xls, PowerPoint .ppt
_TEXT = ("the plain-text layout (a question, its options as `- ` lines, an `Answer:` line; "
         "docs/formats/text.md)")


class Kind(NamedTuple):
    what: str  # "a Word document (.docx)"
    how: str  # how to save its questions as text


_WORD = Kind("a Word document (.docx)",
             "in Word, File → Save As → Plain Text (.txt), encoding Unicode (UTF-8); "
             f"questions in {_TEXT} are read as they are")
_OFFICE = Kind("a Microsoft Office 97-2003 file (.doc, .xls or .ppt)",
               "save it as plain text (.txt) with UTF-8 encoding: from Word, questions in "
               f"{_TEXT}; from Excel, Blackboard's upload format as Unicode Text")
_EXCEL = Kind("an Excel workbook (.xlsx)",
              "for Blackboard's upload format, in Excel: File → Save As → Unicode Text (.txt)")
_POWERPOINT = Kind("a PowerPoint presentation (.pptx)",
                   f"copy the questions into a plain-text file (.txt) in {_TEXT}")
_ODF = Kind("an OpenDocument file (LibreOffice, .odt/.ods)",
            "in LibreOffice, File → Save As → Text (.txt), character set Unicode (UTF-8)")
_RTF = Kind("an RTF document (TextEdit's or WordPad's rich text)",
            "in TextEdit, Format → Make Plain Text, then save; in WordPad, Save As → Plain "
            f"text document; questions in {_TEXT} are read as they are")
_PDF = Kind("a PDF file", f"copy the questions into a plain-text file (.txt) in {_TEXT}")
_IWORK = Kind("an Apple Pages, Numbers or Keynote document",
              f"in Pages, File → Export To → Plain Text; questions in {_TEXT} are read as they "
              "are")

_MIMETYPE_BYTES = 100  # an OpenDocument mimetype is shorter
# A zip's end record, at most a comment's 65,535 bytes before the end; and more parts than
# any word processor's file holds (a .docx has tens, a book with images some hundreds).
_END_RECORD_REACH = 22 + 65_535
_MOST_ENTRIES = 10_000
# Entries that make a zip an Office Open XML file (or an iWork one) of each kind.
_OOXML = {"word/document.xml": _WORD, "xl/workbook.xml": _EXCEL,
          "ppt/presentation.xml": _POWERPOINT, "Index/Document.iwa": _IWORK}


def kind_of(data: bytes, *, zips: bool = True) -> Kind | None:
    """What document a file is, or None when it is none of these. `zips=False` tells only
    by the first bytes (a zip is then left to the package readers)."""
    head = data[:16].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        return _RTF
    if head.startswith(b"%PDF-"):
        return _PDF
    if data.startswith(_OLE2):
        return _OFFICE
    if zips and data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    return None


def _entries(data: bytes) -> int | None:
    """How many entries a zip's end record declares (None: no record, or a Zip64 one),
    read before zipfile parses the directory, which costs about 0.5 KB of memory an entry."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - _END_RECORD_REACH))
    if end < 0 or len(data) < end + 12:
        return None
    count = int.from_bytes(data[end + 10 : end + 12], "little")
    return None if count == 0xFFFF else count


def _zipped(data: bytes) -> Kind | None:
    count = _entries(data)
    if count is None or count > _MOST_ENTRIES:
        return None  # no office file has that many parts; the package readers judge it
    try:  # only names are read, and one small entry: the package readers check the rest
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            for entry, kind in _OOXML.items():
                if entry in names:
                    return kind
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            if info is not None and info.file_size < _MIMETYPE_BYTES:
                # Read as a stream, a few bytes: a header can lie about the entry's size, and
                # read() would inflate all of it before the check that it lied.
                with archive.open(info) as stream:
                    mimetype = stream.read(_MIMETYPE_BYTES)
                if mimetype.startswith(b"application/vnd.oasis.opendocument"):
                    return _ODF
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        return None
    return None


def refusal(data: bytes, name: str, *, zips: bool = True) -> Diagnostic | None:
    """The diagnostic refusing a document given as a bank, or None when it is no document."""
    kind = kind_of(data, zips=zips)
    if kind is None:
        return None
    return Diagnostic(CODE, f"{kind.what}, not a question bank: packager reads text, "
                      "JSON and LMS exports", file=name, hint=kind.how)
