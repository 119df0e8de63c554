"""The accepted answers of a QTI 1.2 numerical question, read from its scoring conditions:
a value with a tolerance or a range, the interval each accepts, and how a note names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from packager.readers.numeric_keys import (
    NumberError,
    decimal_of,
    keyed,
    range_answer,
    shown,
)
from packager.readers.qti12_item_result import ItemError
from packager.readers.qti12_xml import Condition


@dataclass(frozen=True)
class Numeric:
    """One accepted answer of a numerical question: as the bank holds it, the interval it
    accepts, and as a note names it ("42 ± 0.005", "0 (exact)", "41.5 to 42.5")."""

    answer: dict[str, float]
    low: Decimal
    high: Decimal
    shown: str
    precision: bool  # Canvas's precision answer (vargt), whose strict bound becomes inclusive
    change: str | None  # what the bank accepts that the source does not, or the reverse


def numeric(condition: Condition) -> Numeric:
    """The answer a scoring condition of a numerical question accepts."""
    try:
        return _numeric(condition)
    except NumberError as error:
        raise ItemError(str(error)) from None


def _numeric(condition: Condition) -> Numeric:
    values: dict[str, Decimal] = {}
    for test in condition.tests:
        if not test.negated:
            values.setdefault(test.op, decimal_of(test.value))
    exact, low, high = values.get("varequal"), values.get("vargte"), values.get("varlte")
    precision = "vargt" in values
    if precision:
        low = values["vargt"]
    if exact is not None:
        key = keyed(exact, low, high)
        if key.tolerance is None:
            text = f"{shown(key.low)} to {shown(key.high)}"
        else:
            text = shown(exact) + (f" ± {shown(key.tolerance)}" if key.tolerance else " (exact)")
        return Numeric(key.answer, key.low, key.high, text, precision, key.change)
    if low is not None and high is not None:
        return Numeric(range_answer(low, high), low, high, f"{shown(low)} to {shown(high)}",
                       precision, None)
    raise ItemError("the numerical answer is neither a value nor a range")
