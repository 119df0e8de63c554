"""packager.writers.canonical: the text is byte for byte `json.dumps(…, indent=2,
ensure_ascii=False)`, for the sample banks, generated banks and any JSON value a bank can
dump to (pydantic-core writes it, or the standard library where pydantic-core would not)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pydantic_core
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from packager.model import Bank
from packager.writers.canonical import write
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
    assert write(bank) == _reference(bank).encode()


@settings(max_examples=150, deadline=None)
@given(banks())
def test_generated_banks_are_written_as_json_dumps_writes_them(bank: Bank) -> None:
    assert write(bank) == _reference(bank).encode()


_STRINGS = st.text(
    st.characters(codec="utf-8", exclude_categories=())
    | st.sampled_from('"\\/\n\r\t\b\f\x00\x1f\x7f\u2028\u2029🙂')
)
# Every float the model allows (at most 1e15 in magnitude), the tiny ones pydantic-core
# writes its own way included.
_FLOATS = st.floats(min_value=-1e15, max_value=1e15) | st.sampled_from(
    [0.0, -0.0, 1e15, 1e-4, 9.999999999999999e-05, 1e-7, 1.5e-05, 5e-324, 0.1, 2.5]
)
_SCALARS = st.none() | st.booleans() | st.integers() | _FLOATS | _STRINGS
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_STRINGS, inner, max_size=4),
    max_leaves=40,
)


class _Dumped:
    """A bank whose model_dump is `value`: what the writer encodes."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def model_dump(self, **_: Any) -> Any:
        return self.value


@settings(max_examples=1500, deadline=None)
@given(_VALUES)
def test_any_json_value_of_a_bank_is_written_as_json_dumps_writes_it(value: Any) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=False) + "\n"
    assert write(_Dumped(value)) == expected.encode()  # type: ignore[arg-type]


@pytest.mark.parametrize("tiny", [1e-7, -1.5e-05, 9.999999999999999e-05])
def test_a_tiny_float_is_written_as_json_dumps_writes_it(tiny: float) -> None:
    value = {"questions": [{"answers": [{"value": 1.0, "tolerance": tiny}]}]}
    assert pydantic_core.to_json(tiny).decode() != repr(tiny)  # the case the writer avoids
    assert write(_Dumped(value)) == (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()
