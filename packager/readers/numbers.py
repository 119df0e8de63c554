"""The grammar of a number as the exports packager reads write one, shared by the readers
that read numbers with Python's `float()` or `Decimal()`.

Those two read more than any LMS writes: `1_000` (digits grouped by underscores), digits of
other scripts (`١٢`, Arabic-Indic; `１２`, full width) and `Infinity`. An export holds XML
Schema's decimal or double (QTI, Canvas, Blackboard), or what PHP's is_numeric takes (Moodle,
GIFT): ASCII digits with one point and an exponent, signed; the readers take that and only
that, so a number that reads as one here reads as one in the LMS.
"""

from __future__ import annotations

import re

# No `\d`: it matches the digits of every script.
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def is_written_number(text: str) -> bool:
    """Whether `text`, less the white space around it, is a number as exports write one:
    "42", "-0.5", ".5", "5.", "1E+2"; not "1_000", "١٢", "inf", "0x10" or ""."""
    return _NUMBER.fullmatch(text.strip()) is not None
