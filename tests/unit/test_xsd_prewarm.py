"""Schemas compiled on background threads (xsd.prewarm) while the main thread works.

Background compiles resolve imports through libxml2's own catalog (XML_CATALOG_FILES, set by
xsd._use_native_catalog), never through the Python resolver: a resolver call needs the GIL,
which the main thread holds while it loads a bank, and waiting for it nearly doubled the QTI 3.0
compile. It also keeps them out of a race: lxml swaps libxml2's process-wide entity loader
around every parse, so a parse on the main thread could make a compile's import escape the
Python resolver (seen: one run in three in a stress loop). These tests pin down that libxml2
alone resolves every import through the folder's catalog, that prewarm never calls the Python
resolver, and the fallback when a background compile fails. Each check that depends on
XML_CATALOG_FILES runs in a fresh process, because libxml2 reads it once per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

WITHOUT_RESOLVER = """
import sys
from pathlib import Path
from lxml import etree
from packager import xsd
directory = Path(sys.argv[1])
if sys.argv[2] == "native":
    xsd._use_native_catalog(directory)
parser = etree.XMLParser(no_network=True, load_dtd=False)  # no resolvers added
for key in ("qti21", "imscp", "qti30"):
    etree.XMLSchema(etree.parse(str(directory / xsd.ENTRY_SCHEMAS[key]), parser))
print("compiled")
"""


def _clean_env() -> dict[str, str]:
    # Earlier tests compiled schemas in this process, which set XML_CATALOG_FILES here.
    return {k: v for k, v in os.environ.items() if k != "XML_CATALOG_FILES"}


def _fresh_process(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=_clean_env(),
    )


def _compile_without_resolver(xsd_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return _fresh_process(WITHOUT_RESOLVER, str(xsd_path), mode)


def test_the_native_catalog_alone_resolves_every_import(xsd_path: Path) -> None:
    result = _compile_without_resolver(xsd_path, "native")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "compiled"


def test_without_it_the_imports_fail(xsd_path: Path) -> None:
    """The control: what the race leaves a background compile with."""
    result = _compile_without_resolver(xsd_path, "none")
    assert result.returncode != 0
    assert "XMLSchemaParseError" in result.stderr


RACE = """
import sys
from pathlib import Path
from lxml import etree
from packager import xsd
directory = Path(sys.argv[1])
xsd.prewarm(["qti21", "imscp"], directory)
parser = etree.XMLParser(no_network=True, resolve_entities=False)
while any(t.is_alive() for t in xsd._THREADS):
    etree.fromstring(b"<a><b/></a>", parser)
xsd.finish_prewarm()
# The background compiles themselves must succeed: schema_for would hide a lost race by
# compiling again on this thread.
for key in ("qti21", "imscp"):
    error = xsd._PENDING[(key, directory)].exception()
    assert error is None, f"{key}: {error}"
print("compiled")
"""


NO_PYTHON_RESOLVER = """
import sys
from pathlib import Path
from packager import xsd
directory = Path(sys.argv[1])
def no_resolver():
    raise AssertionError("a background compile used the Python resolver")
xsd._resolver_class = no_resolver
xsd.prewarm(["qti21", "imscp", "scorm2004", "cc11"], directory)
xsd.finish_prewarm()
for key in ("qti21", "imscp", "scorm2004", "cc11"):
    error = xsd._PENDING[(key, directory)].exception()
    assert error is None, f"{key}: {error}"
print("compiled")
"""


def test_prewarm_compiles_without_the_python_resolver(xsd_path: Path) -> None:
    result = _fresh_process(NO_PYTHON_RESOLVER, str(xsd_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "compiled"


def test_prewarm_compiles_while_the_main_thread_parses(xsd_path: Path) -> None:
    result = _fresh_process(RACE, str(xsd_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "compiled"


def test_schema_errors_from_the_thread_reach_the_caller(tmp_path: Path) -> None:
    from packager import xsd

    (tmp_path / "catalog.xml").write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>'
    )
    xsd.prewarm(["qti12"], tmp_path)  # the entry XSD is missing from this directory
    xsd.finish_prewarm()
    with pytest.raises(OSError):
        xsd.schema_for("qti12", tmp_path)


def test_a_failed_background_compile_is_compiled_again_on_use(xsd_path: Path) -> None:
    from concurrent.futures import Future

    from packager import xsd

    lost: Future[object] = Future()
    lost.set_exception(RuntimeError("lost a race with a parse on another thread"))
    xsd._PENDING[("canvas", xsd_path)] = lost
    assert xsd.schema_for("canvas", xsd_path) is not None
    assert ("canvas", xsd_path) not in xsd._PENDING


def test_schema_types_are_set_up_before_any_compile_thread_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libxml2 sets its built-in types up on first use, racily: two threads compiling their
    first schemas at once broke every later compile of the process (1 run in 75)."""
    import threading

    from packager import xsd

    events: list[str] = []
    monkeypatch.setattr(xsd, "init_schema_types", lambda: events.append("types"))
    start = threading.Thread.start

    def recording_start(self: threading.Thread) -> None:
        events.append("thread")
        start(self)

    monkeypatch.setattr(threading.Thread, "start", recording_start)
    (tmp_path / "catalog.xml").write_text(
        '<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog"/>'
    )
    xsd.prewarm(["qti30", "qti21"], tmp_path)
    xsd.finish_prewarm()
    assert events[0] == "types" and "thread" in events


def test_the_native_catalog_is_found_in_a_folder_whose_path_has_a_space(
    xsd_path: Path, tmp_path: Path
) -> None:
    """libxml2 splits XML_CATALOG_FILES at spaces: the catalog of `C:\\Users\\First Last\\…`
    was lost, and every background compile failed (portability review F8). A copy, not a
    link: the catalog's path is resolved, which would follow a link out of the folder."""
    import shutil

    folder = tmp_path / "My Docs é" / "xsd"
    shutil.copytree(xsd_path, folder, ignore=shutil.ignore_patterns("examples"))
    result = _compile_without_resolver(folder, "native")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "compiled"
