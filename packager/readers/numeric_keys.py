"""A numeric answer as a QTI 1.2 dialect (Canvas, Blackboard) scores it, read back into the
numbers a bank holds: an exact value with the bounds around it, or a range.

The bounds are read exactly and are not themselves numbers of the bank: value ± tolerance of a
bank reaches ±2e15, and a foreign package may write a bound anywhere. What the bank keeps, the
value, the tolerance, or a range's ends, is at most 1e15 in magnitude; an answer that needs a
larger one cannot be held and its item is left out, the message naming that number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from packager.model.types import MAX_MAGNITUDE
from packager.readers.numbers import is_written_number

# Beyond a double's range no LMS holds the number (Canvas reads a bound with to_f, Blackboard
# as a double); within it, decimal arithmetic cannot overflow.
_DOUBLE_MAX = Decimal("1.7976931348623157e308")
_BANK_MAX = Decimal(int(MAX_MAGNITUDE))


class NumberError(ValueError):
    """A number of a numeric answer that cannot be read, or that a bank cannot hold."""


def decimal_of(text: str) -> Decimal:
    """A number as written, exactly ("1000000000000005", "0.1", "1E+2"); not one that
    Decimal() alone reads and no LMS writes ("1_000", "١٢", "Infinity")."""
    if not is_written_number(text):
        raise NumberError(f"{text!r} is not a number")
    try:
        value = Decimal(text.strip())
    except InvalidOperation:  # past the context's exponent limit (`1e9999999999999999999`)
        raise NumberError(f"{text!r} is not a number") from None
    # copy_abs, not abs(): abs() rounds in the context, and past its exponent limit
    # (`1e1000000`) that overflows, a traceback.
    if not value.is_finite() or value.copy_abs() > _DOUBLE_MAX:
        raise NumberError(f"{text!r} is not a number an LMS holds")
    return value


def shown(value: Decimal) -> str:
    """A number as its source means it: 0.0 → "0", 42.50 → "42.5", 1E+2 → "100"; one of
    more than 21 digits before the point, or of more than 20 zeros after it, in exponent
    form, 1E+300 → "1e+300", 1E-999999 → "1e-999999": written out, a number as short as
    that takes as many characters as its exponent says (a million for 1E-999999, read
    from every condition of a numerical item)."""
    value = value.normalize()
    return f"{value:e}" if not -21 <= value.adjusted() <= 20 else f"{value:f}"


@dataclass(frozen=True)
class Keyed:
    """A key with its bounds as a bank holds it: the answer, the interval that answer
    accepts, and what changed when that is not the interval the source accepts."""

    answer: dict[str, float]
    tolerance: Decimal | None  # None for a range
    low: Decimal
    high: Decimal
    change: str | None


def keyed(value: Decimal, low: Decimal | None, high: Decimal | None) -> Keyed:
    """The answer a key `value` with a lower and an upper bound stands for. Bounds the same
    distance from it, computed exactly (in binary, 0.06 - 0.05 is 0.009999999999999995),
    give value ± that distance. Bounds further on one side (key 1, bounds 0.9 and 5) give
    the range between them, as the QTI 2 reader holds two different tolerances: 1 ± 4 would
    accept -3 to 0.9, which the source refuses; a range has no key, so the change is told.
    A bound alone is read as Canvas imports it (its numeric_interaction.rb: an answer's
    margin is its upper bound less the answer; a lower bound is not read), and told, since
    the conditions may accept more: a lower bound alone keeps the answer alone, an upper
    one gives the answer ± its distance."""
    if high is None:
        if low is None:
            return _within(value, Decimal(0))
        return Keyed(exact_answer(value, Decimal(0)), Decimal(0), value, value,
                     f"the answer {shown(value)} has a lower bound ({shown(low)}) and no upper "
                     f"one: the bank accepts {shown(value)} only, as Canvas imports it (a "
                     "lower bound alone is not read)")
    if low is None:
        if high < value:
            return Keyed(exact_answer(value, Decimal(0)), Decimal(0), value, value,
                         f"the answer {shown(value)} is above its only bound, the upper bound "
                         f"{shown(high)}: the bank accepts {shown(value)} only")
        return replace(_within(value, high - value), change=(
            f"the answer {shown(value)} has an upper bound ({shown(high)}) and no lower one: "
            f"the bank accepts {shown(value)} ± {shown(high - value)}, as Canvas imports it "
            "(the bound's distance from the answer is its tolerance)"))
    below, above = value - low, high - value
    if below < 0 or above < 0:
        return Keyed(exact_answer(value, Decimal(0)), Decimal(0), value, value,
                     f"the answer {shown(value)} is not between its bounds {shown(low)} and "
                     f"{shown(high)}: the bank accepts {shown(value)} only")
    if abs(below - above) <= _rounding(low, high):
        return _within(value, max(below, above))
    return Keyed(range_answer(low, high), None, low, high,
                 range_instead(shown(value), shown(low), shown(high), above > below))


def range_instead(answer: str, low: str, high: str, above: bool) -> str:
    """The note on a key that accepts further on one side of it than on the other, which a
    bank holds as the range `low` to `high`, without the key (the QTI 2.x reader's two
    tolerances too)."""
    return (f"the answer {answer} accepts {low} to {high}, further {'above' if above else 'below'}"
            f" it (a tolerance is the same either side): the bank accepts the range {low} to "
            f"{high}, and shows no answer {answer}")


def _within(value: Decimal, tolerance: Decimal) -> Keyed:
    return Keyed(exact_answer(value, tolerance), tolerance, value - tolerance, value + tolerance,
                 None)


def _rounding(low: Decimal, high: Decimal) -> Decimal:
    """How far apart the two sides of a key may be and still be one tolerance: a writer
    that computes value ± tolerance in binary rounds each bound to a double (Canvas writes
    0.1 ± 0.2 as -0.1 and 0.30000000000000004; 1e15 ± 3.67 as …996.4 and …003.6), and
    may round its key too: two units in the last place of the larger bound."""
    return 2 * Decimal(math.ulp(float(max(low.copy_abs(), high.copy_abs()))))


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
