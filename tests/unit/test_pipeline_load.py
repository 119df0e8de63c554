"""pipeline.kept_for_good: how the commands load banks that live until the process ends."""

from __future__ import annotations


def test_banks_loaded_for_good_are_frozen_before_the_collector_returns() -> None:
    """kept_for_good: the collector is off while loading and back on after, and what was
    loaded is in the permanent generation, so no collection ever scans it."""
    import gc

    from packager.pipeline import kept_for_good, load
    from tests.conftest import bank_path

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        with kept_for_good():
            assert not gc.isenabled()
            loaded = load(bank_path("sample-all-types"))
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen
        assert not any(loaded.bank is obj for obj in gc.get_objects())  # frozen: not tracked
    finally:
        gc.unfreeze()
