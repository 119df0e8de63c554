"""Shared field types: each carries its JSON Schema description and constraint once."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from packager.model.invariants import xml_unsafe_char

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=64,
        description="A slug: lower-case letters, digits, '-' and '_', starting with a letter or digit.",
    ),
]


def _xml_safe(text: str) -> str:
    bad = xml_unsafe_char(text)
    if bad is not None:
        raise ValueError(
            f"contains the control character U+{ord(bad):04X}, which XML cannot carry; remove it"
        )
    if not text or text.isspace():  # isspace: no copy of a long text, unlike strip()
        raise ValueError("must not be empty or only white space")
    return text


# Rich text stays Markdown in the model; packager.richtext renders it once per build.
RichText = Annotated[
    str,
    AfterValidator(_xml_safe),
    Field(
        min_length=1,
        description=(
            "Rich text: CommonMark Markdown with tables, code blocks, $inline$ and $$display$$ "
            "math, images relative to the bank file, and HTML from a safe allow-list."
        ),
    ),
]

PlainText = Annotated[
    str, AfterValidator(_xml_safe), Field(min_length=1, description="Plain text (no Markdown).")
]

Points = Annotated[
    float,
    Field(gt=0, description="Points this question is worth; defaults to settings.default_points."),
]


class Strict(BaseModel):
    """Every model forbids unknown fields, so a typo is an error instead of silently ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
