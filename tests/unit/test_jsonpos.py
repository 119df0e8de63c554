"""packager.readers.jsonpos: line and column of JSON values by pointer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packager.readers.jsonpos import locate, pointer_positions, position

TEXT = """{
  "id": "bank",
  "questions": [
    {"id": "q1", "choices": []},
    {
      "id": "q2",
      "a/b": {"c~d": "x \\" y"},
      "n": -1.5e3
    }
  ],
  "empty": {}
}
"""


@pytest.fixture(scope="module")
def positions() -> dict[str, tuple[int, int]]:
    return pointer_positions(TEXT)


@pytest.mark.parametrize(
    ("pointer", "where"),
    [
        ("", (1, 1)),
        ("/id", (2, 9)),
        ("/questions", (3, 16)),
        ("/questions/0", (4, 5)),
        ("/questions/0/id", (4, 12)),
        ("/questions/0/choices", (4, 29)),
        ("/questions/1", (5, 5)),
        ("/questions/1/id", (6, 13)),
        ("/questions/1/a~1b", (7, 14)),
        ("/questions/1/a~1b/c~0d", (7, 22)),
        ("/questions/1/n", (8, 12)),
        ("/empty", (11, 12)),
    ],
)
def test_value_position_by_pointer(positions, pointer, where):
    assert positions[pointer] == where
    assert position(TEXT, pointer) == where


def test_key_positions_are_recorded_separately(positions):
    assert positions["/questions/1/id#key"] == (6, 7)
    assert positions["/id#key"] == (2, 3)


@pytest.mark.parametrize(
    ("pointer", "where"),
    [
        ("/questions/1/prompt", (5, 5)),
        ("/questions/0/choices/3/text", (4, 29)),
        ("/nothing/here", (1, 1)),
        ("/questions/01", (3, 16)),  # not an index the scan writes
        ("/questions/²", (3, 16)),
        ("/questions/x", (3, 16)),
        ("/id/0", (2, 9)),
        ("/empty/0", (11, 12)),
    ],
)
def test_locate_falls_back_to_the_nearest_existing_ancestor(positions, pointer, where):
    assert locate(positions, pointer) == where
    assert position(TEXT, pointer) == where


def test_locate_without_any_position_is_none():
    assert locate({}, "/questions/0") is None


def test_positions_count_unicode_characters_not_bytes():
    text = '{"t": "Café ☕ 🎉", "u": 1}'
    assert pointer_positions(text)["/u"] == (1, text.index("1") + 1)


@pytest.mark.parametrize("text", ["", "{", '{"a": [1, 2', '{"a" 1}', "[1 2]", '{"a": tru}', "}"])
def test_malformed_text_never_raises_and_keeps_what_it_found(text):
    found = pointer_positions(text)
    assert isinstance(found, dict)


def test_malformed_text_keeps_positions_before_the_error():
    found = pointer_positions('{\n  "a": 1,\n  "b": [true, oops]\n}')
    assert found["/a"] == (2, 8)
    assert found["/b/0"] == (3, 9)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(max_size=4), children, max_size=3),
    max_leaves=12,
)


def _pointers(value, prefix=""):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _pointers(v, f"{prefix}/{k.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _pointers(v, f"{prefix}/{i}")


def _offset(text: str, line: int, column: int) -> int:
    # JSON lines end at "\n" only (U+2028 and U+0085 may appear raw inside strings)
    return sum(len(s) + 1 for s in text.split("\n")[: line - 1]) + column - 1


@given(_json, st.sampled_from([None, 1, 2]), st.booleans())
def test_every_pointer_of_any_json_is_located_at_its_value(value, indent, ascii_only):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    found = pointer_positions(text)
    for pointer in _pointers(value):
        assert pointer in found
        line, column = found[pointer]
        start = _offset(text, line, column)
        decoder = json.JSONDecoder()
        parsed, _ = decoder.raw_decode(text, start)
        # the value found at that position is the value the pointer names
        target = value
        for part in pointer.split("/")[1:]:
            key = part.replace("~1", "/").replace("~0", "~")
            target = target[int(key)] if isinstance(target, list) else target[key]
        assert parsed == target


@given(_json, st.sampled_from([None, 1, 2]), st.booleans(), st.text(max_size=3))
def test_one_pointer_followed_is_where_the_scan_puts_it(value, indent, ascii_only, missing):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    found = pointer_positions(text)
    escaped = missing.replace("~", "~0").replace("/", "~1")
    for pointer in _pointers(value):
        for asked in (pointer, f"{pointer}/{escaped}", f"{pointer}/0", f"{pointer}/7"):
            assert position(text, asked) == locate(found, asked), asked
