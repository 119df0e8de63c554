"""`packager xsd install` / `status` and the lookup order --xsd-dir, PACKAGER_XSD_DIR, cache.

Every install goes into a cache folder under tmp_path (PACKAGER_CACHE_DIR), never the user's.
Sources: the shared/xsd folder, zips of it, and a local HTTP server on 127.0.0.1 serving a
copy of it (the documented `--from URL` mirror); the default source's pinned upstream URLs are
answered from the folder by a stand-in for the download function. No test reaches the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from packager import xsd_store
from packager.errors import ExitCode, InputError, PackagerIOError, UsageError
from packager.xsd import ENV_VAR, locate
from tests.browser.conftest import serve
from tests.conftest import CONTENT, ROOT, xsd_dir

TAMPERED = "qti21/imsqti_v2p1.xsd"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(xsd_store.CACHE_ENV, str(root))
    monkeypatch.delenv(ENV_VAR, raising=False)
    for proxy in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY"):
        monkeypatch.delenv(proxy, raising=False)  # 127.0.0.1 must not go through a proxy
    return root


@pytest.fixture
def mirror(tmp_path: Path) -> Path:
    """A writable copy of shared/xsd, to tamper with."""
    copy = tmp_path / "mirror"
    shutil.copytree(xsd_dir(), copy)
    for path in copy.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)  # shared/ is read-only
    return copy


@pytest.fixture
def served(mirror: Path) -> Iterator[str]:
    """An http:// base URL under which the mirror folder is served, on 127.0.0.1."""
    with serve(mirror) as origin:
        yield origin + "/"


def _tamper(folder: Path) -> tuple[str, str]:
    """Change one byte of a pinned XSD; its pinned and its new SHA-256."""
    path = folder / TAMPERED
    pinned = hashlib.sha256(path.read_bytes()).hexdigest()
    data = path.read_bytes().replace(b"assessmentItem", b"assessmentItenn", 1)
    path.write_bytes(data)
    return pinned, hashlib.sha256(data).hexdigest()


def _assert_installed_intact(cache: Path) -> None:
    check = xsd_store.verify(cache / "xsd")
    assert check.ok, (check.missing[:3], check.mismatched[:3])
    assert check.files == len(xsd_store.pinned_files()) > 100
    leftovers = [p.name for p in cache.iterdir() if p.name != "xsd"]
    assert leftovers == []  # no staging folder left behind


def _run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packager", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_manifest_matches_shared_xsd_and_names_one_source_per_file() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "xsd_manifest.py"), "--check", str(xsd_dir())],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    for pinned in xsd_store.pinned_files():
        sources = [pinned.url is not None, pinned.shipped, pinned.derived_from is not None]
        assert sum(sources) == 1, pinned
        if pinned.url:
            assert pinned.url.startswith("https://"), pinned
    paths = {p.path for p in xsd_store.pinned_files()}
    from packager.xsd import ENTRY_SCHEMAS

    assert {"catalog.xml", *ENTRY_SCHEMAS.values()} <= paths


def test_install_from_the_folder_then_export_and_check_validate_with_no_flag(
    cache: Path, tmp_path: Path
) -> None:
    assert locate(None) == (None, "none")
    done = xsd_store.install(str(xsd_dir()))
    assert done.directory == cache / "xsd"
    _assert_installed_intact(cache)
    assert locate(None) == ((cache / "xsd").resolve(), "cache")

    env = {xsd_store.CACHE_ENV: str(cache)}
    out = tmp_path / "dist"
    bank = str(CONTENT / "neon-broccoli.json")
    exported = _run(tmp_path, "export", "--format", "qti21", "-o", str(out), bank, env=env)
    assert exported.returncode == 0, exported.stderr
    assert "validation was skipped" not in exported.stderr
    package = next(out.glob("*.zip"))
    checked = _run(tmp_path, "check", str(package), env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # The control: the same export with an empty cache says validation was skipped.
    bare = _run(tmp_path, "export", "--format", "qti21", "-o", str(tmp_path / "d2"), bank,
                env={xsd_store.CACHE_ENV: str(tmp_path / "empty")})
    assert bare.returncode == 0 and "validation was skipped" in bare.stderr
    assert "packager xsd install" in bare.stderr  # and says how to turn it on
    refused = _run(tmp_path, "check", str(package),
                   env={xsd_store.CACHE_ENV: str(tmp_path / "empty")})
    assert refused.returncode == 2 and "packager xsd install" in refused.stderr


@pytest.mark.parametrize("inside", ["xsd/", ""])
def test_install_from_a_zip_of_the_folder(cache: Path, tmp_path: Path, inside: str) -> None:
    archive = tmp_path / "xsd.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(xsd_dir().rglob("*")):
            if path.is_file():
                zf.write(path, inside + path.relative_to(xsd_dir()).as_posix())
    xsd_store.install(str(archive))
    _assert_installed_intact(cache)


def test_install_from_a_local_http_mirror(cache: Path, served: str) -> None:
    done = xsd_store.install(served)
    assert done.source == served
    _assert_installed_intact(cache)


def test_a_tampered_file_over_http_is_refused_and_the_previous_install_stays(
    cache: Path, mirror: Path, served: str, tmp_path: Path
) -> None:
    xsd_store.install(str(xsd_dir()))
    before = {p: p.stat().st_mtime_ns for p in (cache / "xsd").rglob("*.xsd")}
    pinned, found = _tamper(mirror)
    with pytest.raises(InputError) as refused:
        xsd_store.install(served)
    message = refused.value.message
    assert TAMPERED in message and pinned in message and found in message
    assert "nothing was installed" in message
    assert refused.value.exit_code == ExitCode.INVALID_INPUT
    assert [d.file for d in refused.value.diagnostics] == [TAMPERED]
    _assert_installed_intact(cache)
    assert {p: p.stat().st_mtime_ns for p in (cache / "xsd").rglob("*.xsd")} == before

    # Through the CLI, into an empty cache: exit 3, the file and both hashes, nothing there.
    empty = tmp_path / "empty-cache"
    result = _run(tmp_path, "xsd", "install", "--from", served,
                  env={xsd_store.CACHE_ENV: str(empty)})
    assert result.returncode == 3, result.stderr
    assert TAMPERED in result.stderr and pinned in result.stderr and found in result.stderr
    assert not empty.exists() or list(empty.iterdir()) == []


def test_a_missing_file_is_refused_as_io_with_its_name(cache: Path, mirror: Path) -> None:
    (mirror / "qti30" / "xml.xsd").unlink()
    with pytest.raises(PackagerIOError) as refused:
        xsd_store.install(str(mirror))
    assert "qti30/xml.xsd" in refused.value.message
    assert refused.value.exit_code == ExitCode.IO
    assert not (cache / "xsd").exists()


def test_the_default_source_fetches_each_pinned_url_and_derives_the_patched_copy(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_url = {p.url: p.path for p in xsd_store.pinned_files() if p.url}
    asked: list[str] = []

    def fake_download(url: str, limit: int) -> bytes:
        asked.append(url)
        return (xsd_dir() / by_url[url]).read_bytes()[: limit + 1]

    monkeypatch.setattr(xsd_store, "_download", fake_download)
    done = xsd_store.install(None)
    assert sorted(asked) == sorted(p.url for p in xsd_store.pinned_files() if p.url)
    assert done.source == "the pinned upstream locations"
    _assert_installed_intact(cache)  # incl. the shipped catalog and the derived qti12 copy


def test_the_default_source_refuses_a_changed_upstream_file(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_url = {p.url: p.path for p in xsd_store.pinned_files() if p.url}
    monkeypatch.setattr(
        xsd_store, "_download",
        lambda url, limit: (xsd_dir() / by_url[url]).read_bytes() + b"\n<!-- changed -->",
    )
    with pytest.raises(InputError) as refused:
        xsd_store.install(None)
    downloaded = [p for p in xsd_store.pinned_files() if p.url]
    # Every downloaded file, and the qti12 copy derived from one; the shipped ones are fine.
    assert len(refused.value.diagnostics) == len(downloaded) + 1
    assert not (cache / "xsd").exists()


def test_an_unknown_source_is_a_usage_error(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        xsd_store.install(str(tmp_path / "nowhere"))


def test_the_lookup_order_is_flag_then_environment_then_cache(
    cache: Path, mirror: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xsd_store.install(str(xsd_dir()))
    assert locate(None)[1] == "cache"
    monkeypatch.setenv(ENV_VAR, str(mirror))
    assert locate(None) == (mirror.resolve(), "env")
    assert locate(xsd_dir()) == (xsd_dir(), "flag")


def test_status_says_where_the_xsds_come_from_and_what_differs(
    cache: Path, mirror: Path, tmp_path: Path
) -> None:
    env = {xsd_store.CACHE_ENV: str(cache)}
    none = _run(tmp_path, "xsd", "status", "--format", "json", env=env)
    assert none.returncode == 5
    document = json.loads(none.stdout)
    assert document["source"] == "none" and document["ok"] is False
    assert document["error"]["kind"] == "invalid_output"  # the shape of every JSON failure
    assert "packager xsd install" in _run(tmp_path, "xsd", "status", env=env).stdout

    xsd_store.install(str(mirror))
    cached = _run(tmp_path, "xsd", "status", "--format", "json", env=env)
    assert cached.returncode == 0, cached.stderr
    report = json.loads(cached.stdout)
    assert report["source"] == "cache" and report["ok"] is True
    assert report["directory"] == str((cache / "xsd").resolve())

    pinned, found = _tamper(mirror)
    (mirror / "qti30" / "xml.xsd").unlink()
    flagged = _run(tmp_path, "xsd", "status", "--xsd-dir", str(mirror), "--format", "json",
                   env=env)
    assert flagged.returncode == 5
    report = json.loads(flagged.stdout)
    assert report["source"] == "flag" and report["ok"] is False
    assert report["missing"] == ["qti30/xml.xsd"]
    assert report["mismatched"] == [
        {"path": TAMPERED, "expected_sha256": pinned, "found_sha256": found}
    ]
    text = _run(tmp_path, "xsd", "status", env={**env, ENV_VAR: str(mirror)})
    assert text.returncode == 5
    assert f"XSDs from PACKAGER_XSD_DIR: {mirror.resolve()}" in text.stdout
    assert f"differs: {TAMPERED}" in text.stdout and "missing: qti30/xml.xsd" in text.stdout


def test_install_json_reports_success_and_failure_as_one_document(
    cache: Path, mirror: Path, tmp_path: Path
) -> None:
    env = {xsd_store.CACHE_ENV: str(cache)}
    good = _run(tmp_path, "xsd", "install", "--from", str(mirror), "--format", "json", env=env)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["files"] == len(xsd_store.pinned_files())
    _tamper(mirror)
    bad = _run(tmp_path, "xsd", "install", "--from", str(mirror), "--format", "json", env=env)
    assert bad.returncode == 3
    document = json.loads(bad.stdout)  # exactly one JSON document
    assert document["ok"] is False and document["exit_code"] == 3
    assert document["diagnostics"][0]["file"] == TAMPERED
    assert document["error"]["kind"] == "invalid_input"
    assert TAMPERED in document["error"]["message"]
    quiet = _run(tmp_path, "xsd", "install", "-q", "--from", str(xsd_dir()), env=env)
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_staging_left_by_a_killed_install_is_removed_by_the_next(cache: Path) -> None:
    killed = cache / ".xsd-staging-killed"
    (killed / "qti21").mkdir(parents=True)
    (killed / "qti21" / "half.xsd").write_bytes(b"<")
    running = cache / ".xsd-staging-running"  # another install, now: left alone
    running.mkdir()
    hours_ago = killed.stat().st_mtime - 2 * 3600
    os.utime(killed, (hours_ago, hours_ago))
    xsd_store.install(str(xsd_dir()))
    assert not killed.exists() and running.exists()


def test_an_install_stopped_between_its_renames_keeps_the_installed_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review 30: Ctrl-C after the installed copy was moved aside, before the new one was put
    in its place, left no copy at all (export and build then skipped their XSD checks)."""
    from packager import xsd_store

    target, stage = tmp_path / "xsd", tmp_path / ".xsd-staging-1"
    target.mkdir()
    (target / "old.xsd").write_text("old")
    stage.mkdir()
    (stage / "new.xsd").write_text("new")
    real = os.replace

    def stopped(src: object, dst: object) -> None:
        if Path(str(src)) == stage:
            raise KeyboardInterrupt
        real(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", stopped)
    with pytest.raises(KeyboardInterrupt):
        xsd_store._swap_in(stage, target)
    assert (target / "old.xsd").read_text() == "old"


def test_a_second_install_while_one_runs_stops_naming_it(cache: Path) -> None:
    """Review 30: two installs at once left one with a raw "[Errno 39] Directory not empty"
    between the other's renames, and a copy of 6 MB behind."""
    import socket

    from packager.errors import PackagerIOError

    cache.mkdir(parents=True)
    lock = cache / ".xsd.lock"
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.write_text(f"{holder.pid} {socket.gethostname()}\n")
        with pytest.raises(PackagerIOError, match=f"another packager process \\(pid {holder.pid} "):
            xsd_store.install(str(xsd_dir()))
    finally:
        holder.kill()
        holder.wait()
    assert sorted(p.name for p in cache.iterdir()) == [".xsd.lock"]  # the holder's, left alone
    xsd_store.install(str(xsd_dir()))  # its holder gone: taken over
    _assert_installed_intact(cache)
