"""Shared fixtures: sample banks, the XSD directory, a fixed build context, golden files."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURE_BANKS = Path(__file__).resolve().parent / "fixtures" / "banks"
GOLDEN = Path(__file__).resolve().parent / "golden"
SAMPLE_BANKS = ("neon-broccoli", "sample-all-types")

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=40,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", deadline=None, max_examples=25)
# Long fuzzing, never in CI: `make fuzz` (or `pytest --hypothesis-profile fuzz tests/properties`
# with FUZZ_EXAMPLES set) draws FUZZ_EXAMPLES (default 1,000) examples per property, those with
# a count of their own (see `examples`) included.
settings.register_profile(
    "fuzz", deadline=None, max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def examples(default: int) -> int:
    """The examples a property draws: `default`, or FUZZ_EXAMPLES when it is set (`make fuzz`);
    a property's own @settings(max_examples=…) wins over any profile."""
    return int(os.environ.get("FUZZ_EXAMPLES", default))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens", action="store_true", default=False,
        help="Rewrite golden files from the current output (review the diff, then commit).",
    )


def _installed_xsds() -> Path:
    """Where `packager xsd install` put its copy: looked up when the tests start, before
    `_empty_packager_cache` points the cache elsewhere."""
    from packager.xsd_store import installed_dir

    return installed_dir()


_INSTALLED_XSDS = _installed_xsds()


def xsd_dir() -> Path:
    """The official XSDs: PACKAGER_XSD_DIR, else ../shared/xsd next to the checkout, else the
    copy `packager xsd install` put in the user's cache."""
    raw = os.environ.get("PACKAGER_XSD_DIR")
    beside = ROOT.parent / "shared" / "xsd"
    if raw:
        path = Path(raw)
    else:
        path = next((p for p in (beside, _INSTALLED_XSDS) if (p / "catalog.xml").is_file()),
                    beside)
    if not (path / "catalog.xml").is_file():
        # Fail, never skip: CI must validate against the official XSDs.
        pytest.fail(f"XSD directory not found at {path} (nor installed at {_INSTALLED_XSDS}); "
                    "run `packager xsd install`, or set PACKAGER_XSD_DIR")
    return path.resolve()


@pytest.fixture(scope="session", autouse=True)
def _empty_packager_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test sees or fills the user's cache: XSDs installed there by `packager xsd install`
    would turn official-XSD validation on in the tests that expect it off (subprocesses
    inherit the variable)."""
    os.environ["PACKAGER_CACHE_DIR"] = str(tmp_path_factory.mktemp("packager-cache"))


@pytest.fixture(autouse=True)
def _no_xsd_compile_left_running() -> None:
    """An export that failed before it needed its schemas leaves their background compiles
    running (packager.xsd.prewarm). The next test starts once they are done: a test that
    forks must not fork beside them, and packager does not (render_pool, readers/parallel
    and the build check for other threads)."""
    from packager import xsd

    xsd.finish_prewarm()


def record_pool_starts(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The start method of every process pool made from now on (multiprocessing's
    get_context, through which every pool packager makes starts), in order."""
    import multiprocessing

    made: list[str | None] = []
    real = multiprocessing.get_context

    def get_context(method: str | None = None) -> Any:
        made.append(method)
        return real(method)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    return made


@pytest.fixture(scope="session")
def xsd_path() -> Path:
    return xsd_dir()


def bank_path(name: str) -> Path:
    for folder in (CONTENT, FIXTURE_BANKS):
        candidate = folder / f"{name}.json"
        if candidate.exists():
            return candidate
    raise FileNotFoundError(name)


@pytest.fixture(scope="session")
def load_bank():
    from packager.pipeline import load

    cache = {}

    def _load(name: str):
        if name not in cache:
            cache[name] = load(bank_path(name))
        return cache[name]

    return _load


def make_ctx(xsd: Path | None = None, **kw):
    from packager.context import DEFAULT_EPOCH, BuildContext

    return BuildContext(epoch=DEFAULT_EPOCH, xsd_dir=xsd, **kw)


@pytest.fixture
def ctx(xsd_path: Path):
    return make_ctx(xsd_path)


def assert_golden(request: pytest.FixtureRequest, folder: Path, files: Mapping[str, bytes]) -> None:
    """Compare files with the goldens in `folder` (XML compared after C14N 2.0)."""
    update = request.config.getoption("--update-goldens")
    if update:
        import shutil

        if folder.exists():
            shutil.rmtree(folder)
        for name, data in files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return
    if not folder.exists():
        pytest.fail(
            f"no golden files at {folder.relative_to(ROOT)}; run "
            f"pytest {request.node.nodeid!r} --update-goldens, review the files, and commit them"
        )
    expected = sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
    )
    assert sorted(files) == expected, "the package's file list changed"
    for name, data in files.items():
        golden = (folder / name).read_bytes()
        if name.endswith(".xml"):
            assert _c14n(data) == _c14n(golden), f"{name} differs from its golden file"
        else:
            assert data == golden, f"{name} differs from its golden file"


def _c14n(data: bytes) -> bytes:
    from lxml import etree

    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(data, parser), method="c14n2", strip_text=True)
