"""A numeric answer's range, computed on its numbers' shortest decimal forms.

A writer that turns a value and tolerance into bounds, or bounds into a midpoint and half
width, writes 3.141..3.142 and 3.1415 ± 0.0005: binary floating point gives
3.1420000000000003 and 3.1414999999999997 ± 0.0004999999999999449, which a package then
shows its learners' teachers.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

# Enough digits that the sum of two doubles' decimal forms is exact (they span 1e308 to
# 5e-324, 17 significant digits each): 1e15 ± 3.67 is 999999999999996.33, which no double
# holds (the nearest is …996.375, written 999999999999996.4, a tolerance of 3.6 to a reader).
_EXACT = 1000


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def midpoint(low: float, high: float) -> tuple[float, float]:
    """A range's midpoint and half width."""
    lo, hi = _decimal(low), _decimal(high)
    return float((lo + hi) / 2), float((hi - lo) / 2)


def bounds(value: float, tolerance: float) -> tuple[Decimal, Decimal]:
    """The lowest and highest answer `value` ± `tolerance` accepts, exactly."""
    center, spread = _decimal(value), _decimal(tolerance)
    with localcontext(prec=_EXACT):
        return center - spread, center + spread


def decimal_text(value: Decimal) -> str:
    """A bound as written: positional, without trailing zeros or a sign on zero."""
    with localcontext(prec=_EXACT):
        text = format(value.normalize(), "f")
    return "0" if text == "-0" else text
