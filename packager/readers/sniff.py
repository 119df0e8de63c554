"""Telling a file's format from its first bytes, for `import --from auto`: what every
detector judges (the first SNIFF_BYTES, whole lines for the text formats), never the whole of
a file that may be hundreds of megabytes, and never raising."""

from __future__ import annotations

import contextlib
import json
import re

# What a detector reads of a file: enough for a root element and the first questions.
SNIFF_BYTES = 64 * 1024
SNIFF_ELEMENTS = 200
_JSON_VALUE = re.compile(rb"\[\s*[\[{\"\d\-tfn\]]")


def whole_lines(data: bytes, size: int = SNIFF_BYTES) -> bytes:
    """The file's first `size` bytes up to the end of their last whole line (all of it when it
    is shorter, or when those bytes hold no line break)."""
    if len(data) <= size:
        return data
    end = data.rfind(b"\n", 0, size)
    return data if end < 0 else data[: end + 1]


def element_names(data: bytes) -> list[str]:
    """The local names of the first elements of a document, root first, read from its start
    by a parser that loads no DTD and resolves nothing; [] when it is not XML. A prologue may
    hold a DOCTYPE with an internal subset or comments, which a pattern over the bytes
    misreads."""
    from lxml import etree

    names: list[str] = []
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True,
                                 load_dtd=False)
    # The events before a syntax error are still read: a file broken further on is told by
    # its root, and its reader then reports the error, located.
    with contextlib.suppress(etree.XMLSyntaxError):
        parser.feed(data[:SNIFF_BYTES])
    for _, element in parser.read_events():
        if isinstance(element, etree._Element) and isinstance(element.tag, str):
            # Not etree.QName: a tag with an undeclared prefix (`m:quiz`), which the pull
            # parser reports as it is, is no name QName takes (a fuzz run's traceback).
            names.append(element.tag.rpartition("}")[2].rpartition(":")[2])
            if len(names) >= SNIFF_ELEMENTS:
                break
    return names


def is_xml_or_json(data: bytes) -> bool:
    """Whether a file that starts like markup or JSON is one: a GIFT question may start with
    HTML (`<b>Paris</b> is …{T}`) or a format (`[markdown]Who …{=no one}`), which neither
    is. Judged on the first SNIFF_BYTES: markup must parse that far (all of it in a smaller
    file, where text after the root shows); JSON must parse whole in a smaller file, and a
    larger one must open an object, or an array with a JSON value."""
    head = data[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")
    whole = len(data) <= SNIFF_BYTES
    if head[:1] == b"<":
        from lxml import etree

        parser = etree.XMLPullParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            parser.feed(head)  # a document cut short is no error until it is closed
            if whole:
                parser.close()
        except etree.XMLSyntaxError:
            return False
        return True
    if head[:1] in (b"{", b"["):
        if not whole:
            return head[:1] == b"{" or _JSON_VALUE.match(head) is not None
        try:
            json.loads(data)
        except ValueError:  # also not UTF-8
            return False
        except RecursionError:  # nested deeper than Python's decoder goes: still JSON
            return True
        return True
    return False
