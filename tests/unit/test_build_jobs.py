"""A bug inside a build job becomes a failed job with a message, never a pickling error."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from packager import build
from packager.context import BuildContext


def test_an_unexpected_error_in_a_job_is_a_failed_result(
    load_bank: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_bank("neon-broccoli")
    monkeypatch.setitem(build._LOADED, loaded.source.name, loaded)

    def broken(*args: object) -> None:
        etree.fromstring(b"<unclosed>")  # an lxml error carries an unpicklable error log

    monkeypatch.setattr("packager.pipeline.export", broken)
    ctx_args = {
        "epoch": BuildContext().epoch,
        "strict": False,
        "skip_unsupported": True,
        "validate_output": False,
        "xsd_dir": None,
    }
    result = build._run_job((loaded.source.name, "qti12", ctx_args, tmp_path))
    assert result.status == "failed" and result.error is not None
    assert result.error["exit_code"] == 1
    assert result.error["message"].startswith("internal error XMLSyntaxError")
    assert pickle.loads(pickle.dumps(result)).error == result.error  # crosses the pipe
    assert not list(tmp_path.iterdir())  # nothing staged


def test_a_source_without_its_bytes_keeps_their_fingerprint(tmp_path: Path) -> None:
    from packager.readers.base import Source

    path = tmp_path / "bank.json"
    path.write_bytes(b'{"x": 1}')
    source = Source.from_path(path)
    slim = source.without_data()
    assert slim.data == b""
    expected = (hashlib.sha256(b'{"x": 1}').hexdigest(), 8)
    assert source.fingerprint() == expected
    assert slim.fingerprint() == expected
