"""Real-browser fixtures: Debian chromium through Playwright, scorm-again as the LMS.

The SCORM packages are built by the pipeline for the sample banks, unzipped next to a host
page (host.html) that creates scorm-again's API in the parent window and loads the SCO in an
iframe, and served from 127.0.0.1 by a local http.server thread. Nothing here skips: without
/usr/bin/chromium or node_modules/scorm-again the tests fail and say what to install.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, make_ctx

CHROMIUM = Path("/usr/bin/chromium")
SCORM_AGAIN = ROOT / "node_modules" / "scorm-again" / "dist"
HOST_PAGE = Path(__file__).resolve().parent / "host.html"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BANKS = ("sample-all-types", "neon-broccoli")
VERSIONS = {"1.2": "scorm12", "2004": "scorm2004"}


def _require_tools() -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does it)")
    for name in ("scorm12.js", "scorm2004.js"):
        if not (SCORM_AGAIN / name).is_file():
            pytest.fail(f"{SCORM_AGAIN / name} is missing: run `npm ci` (make test does it)")


# Package-scoped: Playwright's threads end with the browser tests, so the tests after them
# run in a process with no other thread, as packager's workers require to fork.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    _require_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()
    # Its event loop's executor threads end a moment after it closes (Python 3.12 keeps them
    # until then): the next test may be one that forks.
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and thread.name.startswith("asyncio_"):
            thread.join(timeout=10)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory, load_bank: Any, xsd_path: Path) -> Iterator[Any]:
    """url(bank, version, page='host.html') on a local server holding every built package."""
    _require_tools()
    from packager.pipeline import export

    root = tmp_path_factory.mktemp("scorm-site")
    for bank in BANKS:
        for version, target in VERSIONS.items():
            folder = root / f"{bank}-{target}"
            artifact = export(load_bank(bank), target, make_ctx(xsd_path))
            with zipfile.ZipFile(io.BytesIO(artifact.data)) as archive:
                archive.extractall(folder / "sco")
            shutil.copy(HOST_PAGE, folder / "host.html")
            (folder / "lms").mkdir()
            for name in ("scorm12.js", "scorm2004.js"):
                shutil.copy(SCORM_AGAIN / name, folder / "lms" / name)
            (folder / "version.txt").write_text(version)
    with serve(root) as origin:

        def url(bank: str, version: str, page: str = "host.html", query: str = "") -> str:
            base = f"{origin}/{bank}-{VERSIONS[version]}/{page}"
            if page == "host.html":
                return f"{base}?v={version}{query}"
            return base

        url.root = root  # type: ignore[attr-defined]
        yield url


@contextlib.contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) while inside; yields the origin URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page; any console error or uncaught exception fails the test."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(f"console.{m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    pg.errors = errors
    yield pg
    context.close()
    assert not errors, "the page logged errors:\n" + "\n".join(errors)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
