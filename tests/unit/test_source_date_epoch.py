"""SOURCE_DATE_EPOCH: the zip timestamps' date, within what a zip entry can hold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from packager.context import DEFAULT_EPOCH, LAST_ZIP_EPOCH, source_date_epoch
from packager.errors import UsageError
from tests.conftest import CONTENT


@pytest.mark.parametrize(("raw", "epoch"), [
    (None, DEFAULT_EPOCH), ("", DEFAULT_EPOCH), ("0", DEFAULT_EPOCH),
    ("1700000000", 1700000000), (str(LAST_ZIP_EPOCH), LAST_ZIP_EPOCH),
])
def test_a_date_a_zip_holds_is_taken(raw: str | None, epoch: int,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    if raw is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", raw)
    assert source_date_epoch() == epoch


@pytest.mark.parametrize(("raw", "said"), [
    ("abc", "is not a whole number"), ("1.5", "is not a whole number"),
    (str(LAST_ZIP_EPOCH + 1), "after 2107-12-31"), ("5000000000", "after 2107-12-31"),
    ("99999999999999999999", "after 2107-12-31"), ("9" * 5000, "is not a whole number"),
])
def test_a_date_no_zip_holds_is_a_usage_error(raw: str, said: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", raw)
    with pytest.raises(UsageError, match=said):
        source_date_epoch()


def test_export_says_so_without_a_traceback(tmp_path: Path) -> None:
    """Review 29: 5000000000 ended in zipfile's 'ushort format requires …' traceback."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "5000000000"}
    done = subprocess.run(
        [sys.executable, "-m", "packager", "export", "--format", "qti12", "--out",
         str(tmp_path / "out"), str(CONTENT / "neon-broccoli.json")],
        env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2, done.stderr
    assert "after 2107-12-31" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
