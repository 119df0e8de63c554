"""A numeric answer as a QTI 1.2 dialect (Canvas, Blackboard) scores it, read back into the
numbers a bank holds: an exact value with the bounds around it, or a range.

The bounds are read exactly and are not themselves numbers of the bank: value ± tolerance of a
bank reaches ±2e15, and a foreign package may write a bound anywhere. What the bank keeps, the
value, the tolerance, or a range's ends, is at most 1e15 in magnitude; an answer that needs a
larger one cannot be held and its item is left out, the message naming that number.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from packager.model.types import MAX_MAGNITUDE

# Beyond a double's range no LMS holds the number (Canvas reads a bound with to_f, Blackboard
# as a double); within it, decimal arithmetic cannot overflow.
_DOUBLE_MAX = Decimal("1.7976931348623157e308")
_BANK_MAX = Decimal(int(MAX_MAGNITUDE))


class NumberError(ValueError):
    """A number of a numeric answer that cannot be read, or that a bank cannot hold."""


def decimal_of(text: str) -> Decimal:
    """A number as written, exactly ("1000000000000005", "0.1", "1E+2")."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise NumberError(f"{text!r} is not a number") from None
    # copy_abs, not abs(): abs() rounds in the context, and past its exponent limit
    # (`1e1000000`) that overflows, a traceback.
    if not value.is_finite() or value.copy_abs() > _DOUBLE_MAX:
        raise NumberError(f"{text!r} is not a number an LMS holds")
    return value


def shown(value: Decimal) -> str:
    """A number as its source means it: 0.0 → "0", 42.50 → "42.5", 1E+2 → "100"; one of
    more than 21 digits before the point in exponent form, 1E+300 → "1e+300": a bound no
    bank holds, named in a message, may have hundreds of digits."""
    value = value.normalize()
    return f"{value:e}" if value.adjusted() > 20 else f"{value:f}"


def tolerance_of(value: Decimal, bounds: list[Decimal]) -> Decimal:
    """The tolerance of `value` whose bounds are `bounds`: the wider side, computed exactly
    (in binary, 0.06 - 0.05 is 0.009999999999999995)."""
    return max((abs(value - bound) for bound in bounds), default=Decimal(0))


def exact_answer(value: Decimal, tolerance: Decimal) -> dict[str, float]:
    """A bank's {value, tolerance}, or NumberError naming the number it cannot hold."""
    return {"value": _held(value, "the answer"), "tolerance": _held(tolerance, "the tolerance")}


def range_answer(low: Decimal, high: Decimal) -> dict[str, float]:
    """A bank's {min, max}, or NumberError naming the number it cannot hold."""
    return {"min": _held(low, "the minimum"), "max": _held(high, "the maximum")}


def _held(value: Decimal, what: str) -> float:
    if value.copy_abs() > _BANK_MAX:
        raise NumberError(f"{what} {shown(value)} is beyond ±1e15, the most a bank holds")
    return float(value)
