"""Shared field types: each carries its JSON Schema description and constraint once."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from packager.xml.chars import XML_FORBIDDEN

# One text field, rich or plain: some 40 printed pages. Rendering is linear in the text but
# takes 3-15 µs a character, so this bounds what one field can cost (under 1.5 s).
MAX_TEXT_CHARS = 100_000

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"

Slug = Annotated[
    str,
    Field(
        pattern=SLUG_PATTERN,
        max_length=64,
        description="A slug: lower-case letters, digits, '-' and '_', starting with a letter or digit.",
    ),
]


# Runs for every string of a bank: the bound search is looked up once, not per call.
_find_xml_unsafe = XML_FORBIDDEN.search


# In a model's validation context: True when no text of the data can hold a character XML
# cannot carry (the reader looked at the whole file at once: canonical.no_unsafe_characters).
CHARACTERS_CHECKED = "characters_checked"


def _xml_safe(text: str, info: ValidationInfo) -> str:
    context = info.context
    bad = (
        None
        if context is not None and context.get(CHARACTERS_CHECKED)
        else _find_xml_unsafe(text)
    )
    if bad is not None:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X}, which XML cannot carry; "
            "remove it"
        )
    if not text or text.isspace():  # isspace: no copy of a long text, unlike strip()
        raise ValueError("must not be empty or only white space")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(
            f"is {len(text):,} characters long, more than the {MAX_TEXT_CHARS:,} a text may "
            "have; split it, or move long material into a stimulus shared by several questions"
        )
    return text


# _xml_safe already rejects the empty string and overlong text, so the lengths are stated for
# the JSON Schema only: as constraints they would run more Python validators on every string.
_NOT_EMPTY = {"minLength": 1, "maxLength": MAX_TEXT_CHARS}

# Rich text stays Markdown in the model; packager.richtext renders it once per build.
RichText = Annotated[
    str,
    AfterValidator(_xml_safe),
    Field(
        json_schema_extra=_NOT_EMPTY,
        description=(
            "Rich text: CommonMark Markdown with tables, code blocks, $inline$ and $$display$$ "
            "math, images relative to the bank file, and HTML from a safe allow-list."
        ),
    ),
]

PlainText = Annotated[
    str,
    AfterValidator(_xml_safe),
    Field(json_schema_extra=_NOT_EMPTY, description="Plain text (no Markdown)."),
]

# Bounds of every number in a bank: generous for any real quiz, and small enough that every
# target writes the value exactly (integers up to 1e15 are exact in a double and in decimal).
MAX_MAGNITUDE = 1e15
MAX_POINTS = 1e6

Number = Annotated[float, Field(ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]


def plain_decimal(value: float) -> str:
    """A number as people write it: no exponent, no trailing zeros, no sign on zero (1e-07
    is 0.0000001, 1e15 is 1000000000000000, 2.50 is 2.5)."""
    plain = format(Decimal(repr(value)).normalize(), "f")
    return "0" if plain == "-0" else plain


def typed_forms(answer: str) -> list[str]:
    """What a learner may type for an answer: as written (trimmed) and, where it differs, its
    NFC form, the one keyboards give (text pasted from a PDF or a Mac may be decomposed:
    `e` + U+0301). The quiz player and Moodle normalise both sides; QTI engines, Canvas and
    Blackboard compare code points, so an exact-match writer lists both. The NFC form is
    last."""
    text = answer.strip()
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return [text]
    return [text, unicodedata.normalize("NFC", text)]

def caseless(text: str) -> str:
    """What is compared of a text where letter case does not count (a caseless answer, a
    choice learners must tell apart): its NFC form lowercased and uppercased, so that two
    texts are one only where every engine takes them for one. `Paris` and `PARIS` are;
    `Straße` and `Strasse` are not (str.casefold makes ß ss; Moodle and QTI engines compare
    letter by letter), nor `kız` and `kiz` (two words, both KIZ in capitals)."""
    text = unicodedata.normalize("NFC", text)
    return f"{text.lower()}\n{text.upper()}"


def caseless_half(text: str) -> str:
    """caseless(text)'s part before its line break: texts caseless takes for one share it
    (neither half holds a line break), so texts that all differ here differ there."""
    return unicodedata.normalize("NFC", text).lower()


Tolerance = Annotated[float, Field(ge=0, le=MAX_MAGNITUDE)]

Points = Annotated[
    float,
    Field(
        gt=0,
        le=MAX_POINTS,
        description="Points this question is worth; defaults to settings.default_points.",
    ),
]


class Strict(BaseModel):
    """Every model forbids unknown fields, so a typo is an error instead of silently ignored,
    and every number is finite: NaN and infinity have no form in any target."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, allow_inf_nan=False)
