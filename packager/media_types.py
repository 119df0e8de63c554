"""What a media file is, by its bytes: packages carry only images a browser shows as images.

A file is trusted by neither its name nor its extension: `worksheet.png` holding HTML would
run as a page wherever an LMS serves it by content sniffing, and `chart.html` holding a PNG
would run as HTML with any script hidden in its chunks. So a media file must start with the
signature of a raster image format and carry that format's extension. SVG is refused: it
is a document that can hold script, and sanitising it like HTML is more than a picture needs.
"""

from __future__ import annotations

# Format → the extensions it may carry.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    "PNG": (".png",),
    "JPEG": (".jpg", ".jpeg"),
    "GIF": (".gif",),
    "WebP": (".webp",),
}
HEAD = 12  # bytes sniff() needs


def sniff(head: bytes) -> str | None:
    """The image format whose signature `head` (the first HEAD bytes) starts with, or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "WebP"
    return None


def media_type_problem(name: str, head: bytes) -> tuple[str, str] | None:
    """Why a media file named `name` starting with `head` cannot be packaged (message, hint)."""
    allowed = ", ".join(e for exts in EXTENSIONS.values() for e in exts)
    kind = sniff(head)
    lower = name.lower()
    if kind is None:
        what = "an SVG drawing" if lower.endswith((".svg", ".svgz")) else "not an image"
        return (
            f"media file {name!r} is {what}: packages carry only PNG, JPEG, GIF and WebP images",
            "convert it to PNG or JPEG; other files (pages, scripts, documents) cannot be "
            "packaged",
        )
    if not lower.endswith(EXTENSIONS[kind]):
        return (
            f"media file {name!r} holds a {kind} image but its name does not say so",
            f"rename it to end in {' or '.join(EXTENSIONS[kind])} (allowed: {allowed})",
        )
    return None
