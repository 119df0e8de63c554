"""What a QTI 2.1 / 3.0 source is: a package or item file of a version (`detect`), and the
root of an item file, refused with a located error (and a hint) when it is a test, or
another version's item, or no item at all.
"""

from __future__ import annotations

import re

from lxml import etree

from packager.errors import InputError
from packager.readers.imported import Location
from packager.readers.qti2_dialect import QTI21, QTI30, Dialect, line, local, namespace, xml_path
from packager.readers.safe_xml import parse_xml
from packager.readers.safe_zip import MANIFEST, Archive, is_zip

CODE = "E-QTI"


def detect(d: Dialect, data: bytes) -> bool:
    """A package whose manifest lists this version's resources, or an item file of it (or a
    test file, which `read` refuses, saying to import its package)."""
    try:
        if is_zip(data):
            manifest = Archive(data, "package").get(MANIFEST)
            if manifest is None:
                return False
            types = re.findall(rb"""\btype\s*=\s*["']([^"']+)["']""", manifest)
            return any(t.decode("ascii", "replace") in d.item_types | d.test_types
                       for t in types)
        parser = etree.XMLPullParser(events=("start",), resolve_entities=False,
                                     no_network=True, load_dtd=False)
        parser.feed(data[:65536])
        for _, element in parser.read_events():
            return (isinstance(element, etree._Element) and namespace(element) in d.namespaces
                    and d.name(element) in ("assessmentItem", "assessmentTest"))
    except Exception:  # sniffing only: anything unreadable is simply not this format
        return False
    return False


def error(location: Location, message: str, hint: str | None = None) -> InputError:
    return InputError(f"{location}: {message}",
                      diagnostics=[location.diagnostic(CODE, message, hint)])


def other_version(d: Dialect) -> str:
    return "qti30" if d is QTI21 else "qti21"


def item_root(d: Dialect, data: bytes, label: str, alone: bool = False) -> etree._Element:
    """The root of an item file; `alone`: the file given to import, not one of a package."""
    root = parse_xml(data, label)
    if alone and d.name(root) == "assessmentTest":
        # Its items are files beside it, which only the package holds with it.
        raise error(Location(label, line(root), xml_path(root)),
                     f"a {d.label} assessment test, which names its items in other files: it "
                     "is read from its package",
                     "import the package: the zip holding imsmanifest.xml, the test and its "
                     "items")
    if d.name(root) != "assessmentItem":
        other = QTI30 if d is QTI21 else QTI21
        hint = (f"it is a {other.label} item: import it with --from {other_version(d)}"
                if other.name(root) == "assessmentItem" else None)
        raise error(Location(label, line(root), xml_path(root)),
                     f"not a {d.label} assessment item (the root is <{local(root)}> in "
                     f"{namespace(root) or 'no namespace'!r})", hint)
    return root
