"""packager.readers.jsonpos: line and column of JSON values by pointer."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from packager.readers.jsonpos import PointerIndex

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
        # A pointer to nothing: its nearest existing ancestor's position.
        ("/questions/1/prompt", (5, 5)),
        ("/questions/0/choices/3/text", (4, 29)),
        ("/nothing/here", (1, 1)),
        ("/questions/01", (3, 16)),  # not an index as pointers write it
        ("/questions/²", (3, 16)),
        ("/questions/x", (3, 16)),
        ("/questions/2", (3, 16)),
        ("/id/0", (2, 9)),
        ("/empty/0", (11, 12)),
    ],
)
def test_value_position_by_pointer(pointer, where):
    assert PointerIndex(TEXT).position(pointer) == where


def test_one_index_answers_many_pointers_alike_counted_or_listed():
    index = PointerIndex(TEXT)
    asked = ["/questions/1/n", "/id", "/empty", "/questions/0/choices"] * 6  # past _COUNTED
    assert [index.position(p) for p in asked] == [PointerIndex(TEXT).position(p) for p in asked]


def test_positions_count_unicode_characters_not_bytes():
    text = '{"t": "Café ☕ 🎉", "u": 1}'
    assert PointerIndex(text).position("/u") == (1, text.index("1") + 1)


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


def _is_member(container, step: str) -> bool:
    """Whether the pointer step `step` names a member of `container`."""
    if isinstance(container, dict):
        return step.replace("~1", "/").replace("~0", "~") in container
    if isinstance(container, list):
        return re.fullmatch(r"0|[1-9][0-9]*", step) is not None and int(step) < len(container)
    return False


def _value_at(value, pointer: str):
    for part in pointer.split("/")[1:]:
        key = part.replace("~1", "/").replace("~0", "~")
        value = value[int(key)] if isinstance(value, list) else value[key]
    return value


@given(_json, st.sampled_from([None, 1, 2]), st.booleans(), st.text(max_size=3))
def test_every_pointer_of_any_json_is_located_at_its_value(value, indent, ascii_only, missing):
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    index = PointerIndex(text)
    escaped = missing.replace("~", "~0").replace("/", "~1")
    for pointer in _pointers(value):
        line, column = index.position(pointer)
        parsed, _ = json.JSONDecoder().raw_decode(text, _offset(text, line, column))
        # the value found at that position is the value the pointer names
        assert parsed == _value_at(value, pointer)
        # a member that is not there: its container's position
        target = _value_at(value, pointer)
        for step in (escaped, "7"):
            asked = f"{pointer}/{step}"
            if not _is_member(target, step):
                assert index.position(asked) == (line, column), asked
