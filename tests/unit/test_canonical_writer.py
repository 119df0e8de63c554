"""packager.writers.canonical: the text is byte for byte `json.dumps(…, indent=2,
ensure_ascii=False)`, for the sample banks, generated banks and any JSON value."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager.model import Bank
from packager.writers.canonical import dumps_indented, write
from tests.properties.strategies import banks

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(
    [*(ROOT / "content").glob("*.json"), *(ROOT / "tests" / "fixtures" / "banks").glob("*.json")]
)


def _reference(bank: Bank) -> str:
    """The writer as it was: the standard library's indenting encoder."""
    data = bank.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_banks_are_written_as_json_dumps_writes_them(path: Path) -> None:
    bank = Bank.model_validate_json(path.read_bytes())
    assert write(bank).encode() == _reference(bank).encode()


@settings(max_examples=150, deadline=None)
@given(banks())
def test_generated_banks_are_written_as_json_dumps_writes_them(bank: Bank) -> None:
    assert write(bank) == _reference(bank)


_STRINGS = st.text(
    st.characters(codec=None, exclude_categories=()) | st.sampled_from('"\\/\n\r\t\b\f\x00\x1f\x7f'
                                                                        "\u2028\u2029\ud800🙂")
)
_FLOATS = st.floats() | st.sampled_from(
    [0.0, -0.0, 1e16, 1e-7, 5e-324, 1.7976931348623157e308, math.inf, -math.inf, math.nan, 0.1]
)
_SCALARS = st.none() | st.booleans() | st.integers() | _FLOATS | _STRINGS
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4)
    | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(_STRINGS, inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=1500, deadline=None)
@given(_VALUES)
def test_any_json_value_is_written_as_json_dumps_writes_it(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [{3: "a", 2.5: "b", True: "c", None: "d"}, {"a": {(1, 2): 3}}, {"a": [object()]}],
    ids=["keys", "tuple-key", "object"],
)
def test_what_json_treats_its_own_way_is_left_to_it(value: Any) -> None:
    try:
        expected: str | type[Exception] = json.dumps(value, indent=2, ensure_ascii=False)
    except TypeError:
        expected = TypeError
    if expected is TypeError:
        with pytest.raises(TypeError):
            dumps_indented(value)
    else:
        assert dumps_indented(value) == expected


def test_a_deep_value_falls_back_rather_than_failing() -> None:
    value: Any = []
    for _ in range(5000):
        value = [value]
    try:
        expected = json.dumps(value, indent=2, ensure_ascii=False)
    except RecursionError:
        return
    assert dumps_indented(value) == expected
