"""packager.readers.canonical: the garbage collector is paused while a bank loads, then restored."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from packager.readers import canonical
from packager.readers.base import Source

GOOD = b"""{"format": "packager.question-bank/1", "id": "b", "title": "B",
 "questions": [{"id": "q", "type": "text", "prompt": "Read"}]}"""


def _source(data: bytes) -> Source:
    return Source(name="b.json", data=data, base_dir=Path("."))


@pytest.fixture
def gc_state() -> Iterator[None]:
    was = gc.isenabled()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.parametrize("data", [GOOD, b"{", b'{"a": 1, "a": 2}', b"\xff", b'{"format": 1}'])
def test_read_restores_an_enabled_collector(gc_state: None, data: bytes):
    gc.enable()
    canonical.read(_source(data))
    assert gc.isenabled()


def test_read_leaves_a_disabled_collector_disabled(gc_state: None):
    gc.disable()
    result = canonical.read(_source(GOOD))
    assert result.bank is not None
    assert not gc.isenabled()


def test_collector_is_paused_during_the_load(gc_state: None, monkeypatch: pytest.MonkeyPatch):
    seen: list[bool] = []
    real = canonical.model_from_data

    def spy(*args: object) -> object:
        seen.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(canonical, "model_from_data", spy)
    gc.enable()
    canonical.read(_source(GOOD))
    assert seen == [False]
    assert gc.isenabled()


def test_collector_restored_when_the_load_raises(gc_state: None, monkeypatch: pytest.MonkeyPatch):
    def boom(*args: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(canonical, "model_from_data", boom)
    gc.enable()
    with pytest.raises(RuntimeError):
        canonical.read(_source(GOOD))
    assert gc.isenabled()
