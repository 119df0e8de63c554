"""XML from strangers, parsed so that it cannot reach anything but its own bytes.

No DTD is loaded, no entity is resolved or expanded, nothing is fetched (no XXE, no billion
laughs, no network); a document that declares entities is refused outright, since a quiz
export has no use for them. Errors carry the file and line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from packager.diagnostics import Diagnostic
from packager.errors import InputError

if TYPE_CHECKING:
    from lxml import etree

CODE = "E-XML"
MAX_XML_BYTES = 256 * 1024 * 1024
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)


def _line(node: object) -> int | None:
    line = getattr(node, "sourceline", None)  # lxml-stubs type an entity's line oddly
    return line if isinstance(line, int) else None


def parse_xml(data: bytes, name: str) -> etree._Element:
    """The root element of an XML document, or InputError (file, line, what is wrong)."""
    from lxml import etree

    if len(data) > MAX_XML_BYTES:
        raise InputError(
            f"{name}: the XML document is {len(data):,} bytes, more than {MAX_XML_BYTES:,}",
            diagnostics=[Diagnostic(CODE, "XML document too large", file=name)],
        )
    found = _ENTITY_DECLARATION.search(data)
    if found is not None:
        line = data.count(b"\n", 0, found.start()) + 1
        raise InputError(
            f"{name}: declares XML entities, which an import never expands",
            diagnostics=[
                Diagnostic(
                    CODE,
                    "the document declares entities (<!ENTITY …>); refused: they can read "
                    "local files or expand without end",
                    file=name,
                    line=line,
                    hint="export the questions again from their tool; real exports have none",
                )
            ],
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).split(" (line ")[0]
        raise InputError(
            f"{name}: not well-formed XML: {message}",
            diagnostics=[Diagnostic(CODE, f"not well-formed XML: {message}", file=name,
                                    line=exc.lineno or None)],
        ) from None
    if root is None:
        raise InputError(f"{name}: empty XML document")
    system_url = str(getattr(root.getroottree().docinfo, "system_url", None) or "")
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", system_url):
        raise InputError(
            f"{name}: refers to an external DTD ({system_url}), which an import never loads",
            diagnostics=[Diagnostic(CODE, f"the document type names {system_url!r}; refused: "
                                    "a DTD from elsewhere can define entities", file=name,
                                    line=1, hint="remove the <!DOCTYPE …> line")],
        )
    for entity in root.iter(etree.Entity):
        raise InputError(
            f"{name}: uses the entity {entity.text}, which nothing defines (no DTD is read)",
            diagnostics=[Diagnostic(CODE, f"undefined entity {entity.text}", file=name,
                                    line=_line(entity),
                                    hint="write the character itself, or a numeric reference")],
        )
    return root

