"""jsonfmt.compact is json.dumps with the layout of packager's reports, made faster."""

from __future__ import annotations

import json
import math

import pytest

from packager import jsonfmt
from packager.jsonfmt import Encoded, compact

VALUES = [
    {"id": "q000001", "type": "single_choice", "status": "exported", "notes": []},
    {"a": [1, 2.5, -0.0, 1e300, 10**30, None, True, False], "b": {}, "c": [], "": ""},
    "é \" \\ \n \t \u2028 \x00 \ud83d\ude00 😀",
    math.nan, math.inf, -math.inf, 0.1, 1.0, 7, "", None, [],
    {1: "int key", 2.5: "float key", False: "bool key", None: "none key"},
    ("a", "tuple"),
    [{"nested": [{"deeper": ["x", {"y": 1}]}]}],
]


@pytest.mark.parametrize("value", VALUES)
def test_compact_is_json_dumps_with_the_reports_separators(value: object) -> None:
    assert compact(value) == json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def test_compact_without_the_c_encoder_gives_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonfmt, "_C_ENCODER", None)
    for value in VALUES:
        assert compact(value) == json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def test_compact_keeps_what_is_encoded_and_refuses_what_json_cannot_encode() -> None:
    done = Encoded('{"x": 1}')
    assert compact(done) is done
    with pytest.raises(TypeError, match="not JSON serializable"):
        compact({"x": object()})
