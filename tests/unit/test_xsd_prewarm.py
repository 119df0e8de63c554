"""Schemas compiled in a background thread (xsd.prewarm) while the main thread parses XML.

lxml swaps libxml2's process-wide entity loader around every parse; a parse on the main thread
can restore the default loader while the prewarm thread compiles, so its xs:import of xml.xsd
escaped our catalog resolver and the compile failed about one run in three. The native catalog
fallback (xsd._use_native_catalog) must make it succeed every time. Each run is a fresh process,
because libxml2 reads XML_CATALOG_FILES once per process.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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
xsd.schema_for("qti21", directory)
xsd.schema_for("imscp", directory)
print("compiled")
"""


@pytest.mark.parametrize("run", range(4))
def test_prewarm_compiles_while_the_main_thread_parses(xsd_path: Path, run: int) -> None:
    result = subprocess.run(
        [sys.executable, "-c", RACE, str(xsd_path)], capture_output=True, text=True, timeout=120
    )
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
