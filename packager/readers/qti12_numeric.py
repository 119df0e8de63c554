"""The accepted answers of a QTI 1.2 numerical question, read from its scoring conditions:
a value with a tolerance or a range, the interval each accepts, and how a note names it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from packager.model.types import MAX_MAGNITUDE
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
    precision: bool  # Canvas's precision answer (vargt), which becomes a value ± tolerance


def numeric(condition: Condition) -> Numeric:
    """The answer a scoring condition of a numerical question accepts."""
    values: dict[str, Decimal] = {}
    for test in condition.tests:
        if not test.negated:
            values.setdefault(test.op, _decimal(test.value))
    exact, low, high = values.get("varequal"), values.get("vargte"), values.get("varlte")
    precision = "vargt" in values
    if precision:
        low = values["vargt"]
    if exact is not None:
        tolerance = max((abs(exact - b) for b in (low, high) if b is not None),
                        default=Decimal(0))
        shown = _number(exact) + (f" ± {_number(tolerance)}" if tolerance else " (exact)")
        return Numeric({"value": float(exact), "tolerance": float(tolerance)},
                        exact - tolerance, exact + tolerance, shown, precision)
    if low is not None and high is not None:
        return Numeric({"min": float(low), "max": float(high)}, low, high,
                        f"{_number(low)} to {_number(high)}", precision)
    raise ItemError("the numerical answer is neither a value nor a range")


def _number(value: Decimal) -> str:
    """A number as its source means it: 0.0 → "0", 42.50 → "42.5", 1E+2 → "100"."""
    return f"{value.normalize():f}"


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ItemError(f"{text!r} is not a number") from None
    if not value.is_finite() or abs(value) > Decimal(int(MAX_MAGNITUDE)):
        raise ItemError(f"{text!r} is not a number a bank can hold (at most 1e15)")
    return value
