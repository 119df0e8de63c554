"""A rendered text's images pointed into a package: the one place writers rewrite image
sources.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import unquote


def with_image_sources(xhtml: str, new_src: Callable[[str], str | None]) -> str:
    """The fragment with each image's source replaced by `new_src(href)`, where href is the
    bank's media path (URL-decoded, normalised) and None keeps the source. The one place
    writers point images into their package: on the tree, so the attribute's escaping is
    lxml's, never a pattern's over serialized markup."""
    from lxml import etree

    if "<img" not in xhtml:
        return xhtml
    wrapper = etree.fromstring(f"<div>{xhtml}</div>")
    for img in wrapper.iter("img"):
        src = img.get("src")
        if src:
            replaced = new_src(str(PurePosixPath(unquote(src))))
            if replaced is not None:
                img.set("src", replaced)
    # Serialized as every fragment is (richtext._to_xhtml).
    return "".join(etree.tostring(child, encoding="unicode") for child in wrapper)
