"""The link and image targets a package can carry: which link targets render() refuses
(`link_problem`) and why, which URLs raw HTML may hold (`safe_url`), which image sources are
not files of the bank, and the titles of links and images, which no package carries.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from packager.richtext_refused import Refused

_SAFE_SCHEMES = frozenset({"", "http", "https", "mailto"})

_ANY_URI_SCHEMA = (b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
                   b'<xs:element name="u" type="xs:anyURI"/></xs:schema>')


@lru_cache(maxsize=1)
def _any_uri() -> Any:
    from lxml import etree

    from packager.xsd import init_schema_types

    init_schema_types()  # texts render on the API's threads, which compile schemas too
    return etree.XMLSchema(etree.XML(_ANY_URI_SCHEMA))


# A web address of a host and a path of unreserved characters only, the most common link: a
# URI by RFC 3986's grammar, which libxml2 parses an xs:anyURI by, so the schema need not be
# asked (its validation context is costly next to a match), and one link_problem takes as
# it is written.
# (Nothing in it is escaped in HTML or XML: richtext_xhtml's string path takes such links.)
PLAIN_ADDRESS = r"https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~/-]*)?"
_PLAIN_ADDRESS = re.compile(PLAIN_ADDRESS)


def unwritable_address(address: str) -> bool:
    """Whether libxml2, which checks every QTI 2.x and 3.0 package against its XSDs, refuses the
    address as an xs:anyURI (`https://host:https://…`, whose port is empty before `//`): the
    source's checks read it with Python's urlsplit, which takes more."""
    if _PLAIN_ADDRESS.fullmatch(address) is not None:
        return False
    from lxml import etree

    from packager.xsd import schema_errors

    element = etree.Element("u")
    element.text = address
    # Held as every schema is while it validates (xsd.schema_errors): render() runs on the
    # API's threads, and a validation on another between this one and its verdict's
    # messages is what that lock keeps out.
    return bool(schema_errors(_any_uri(), element, "address"))


def title_dropped(kind: str, title: str) -> str:
    shown = title if len(title) <= 40 else title[:39] + "…"
    return (f"the {kind}'s title {shown!r} is carried by no package (QTI has no title on links "
            "or images)")


def link_problem(href: str) -> Refused | None:
    """Why a link cannot be carried: an unsafe scheme, no scheme (`//host`), no host, or a
    file that would not be packaged."""
    if _PLAIN_ADDRESS.fullmatch(href) is not None:
        return None  # without urlsplit, whose cache holds few addresses
    cleaned, scheme, host = _read_url(href)
    if scheme not in _SAFE_SCHEMES:
        return Refused("unsafe-url", f"unsafe link target {href!r}; links may use http, https or "
                       "mailto")
    if cleaned.startswith("//"):
        return Refused(
            "address",
            f"link {href!r} has no scheme: a page opened from a file (the html export, "
            "preview) would follow it as file://; write https://…",
        )
    if scheme in ("http", "https") and not host:
        return Refused("address", f"link {href!r} has no host after its scheme; write "
                       "https://host/…")
    if scheme in ("http", "https") and _FORBIDDEN_HOST.search(_host_name(host)):
        # The sanitiser (nh3, WHATWG URL parsing) drops such an href: the link would lead
        # nowhere, and QTI 2.x/3.0 require href on <a>.
        return Refused("address", f"link {href!r} has no host a browser can read (<, >, ^, | or "
                       "a stray % in it); write https://host/…")
    if not href or href.startswith("#") or scheme:
        return None
    return Refused(
        "file-link",
        f"link to the file {href!r} is not carried into packages; link to a web address "
        "(https://…), or show images with ![alt](path)",
    )


# WHATWG URL: forbidden host code points (a host holding one is not a URL), after the host's
# percent-decoding; a `%` that decodes to nothing is one too.
_FORBIDDEN_HOST = re.compile(r"[\x00-\x20#/:<>?@\[\\\]^|%]")


def _host_name(netloc: str) -> str:
    """The host of a netloc without user information, port or IPv6 brackets, percent-decoded."""
    from urllib.parse import unquote

    host = netloc.rpartition("@")[2]
    if host.startswith("["):
        return ""  # an IPv6 literal: urlsplit has read it
    host = host.rpartition(":")[0] if re.search(r":[0-9]*\Z", host) else host
    decoded = unquote(host, errors="strict") if re.fullmatch(r"(?:[^%]|%[0-9a-fA-F]{2})*", host) else "%"
    return decoded


def scheme(url: str) -> str:
    return _read_url(url)[1]


def _read_url(url: str) -> tuple[str, str, str]:
    """A URL as a browser reads its start (entities decoded, controls and spaces gone), its
    scheme (a scheme-relative //host address counts as a web address; "invalid" for what
    urlsplit refuses, e.g. "http://[x", which no browser would follow either) and its host."""
    cleaned = re.sub(r"[\x00-\x20]+", "", html.unescape(url)).lower()
    try:
        split = urlsplit(cleaned)
    except ValueError:
        return cleaned, "invalid", ""
    return cleaned, "https" if cleaned.startswith("//") else split.scheme, split.netloc


def external_image(src: str) -> Refused:
    return Refused("image", f"image {src!r} is not a file in the bank's folder; packages must "
                   "be self-contained")


def safe_url(url: str) -> bool:
    return scheme(url) in _SAFE_SCHEMES
