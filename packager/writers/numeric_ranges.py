"""A numeric answer's range, computed on its numbers' shortest decimal forms.

A writer that turns a value and tolerance into bounds, or bounds into a midpoint and half
width, writes 3.141..3.142 and 3.1415 ± 0.0005: binary floating point gives
3.1420000000000003 and 3.1414999999999997 ± 0.0004999999999999449, which a package then
shows its learners' teachers.
"""

from __future__ import annotations

from decimal import Decimal


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))


def midpoint(low: float, high: float) -> tuple[float, float]:
    """A range's midpoint and half width."""
    lo, hi = _decimal(low), _decimal(high)
    return float((lo + hi) / 2), float((hi - lo) / 2)


def bounds(value: float, tolerance: float) -> tuple[float, float]:
    """The lowest and highest answer `value` ± `tolerance` accepts."""
    center, spread = _decimal(value), _decimal(tolerance)
    return float(center - spread), float(center + spread)
