"""A warning about rich text with its code, set where the warning is made: the checks give
it that code and its hint whatever its words (a `$` warning that quotes a text reading like
a dropped title stays a `$` warning)."""

from __future__ import annotations

from typing import Literal, NamedTuple


class Warned(NamedTuple):
    code: Literal["W-TITLE", "W-DOLLAR"]  # docs/codes.md
    message: str
