"""The built distributions, as a new user gets them (issue 15, "Done when").

The sdist and the wheel are built once (`python -m build`: the wheel from the sdist, so both
are tested); the wheel is installed into a fresh virtualenv outside the repository, and from
an empty folder, with HOME (and the cache folder) inside tmp and no PACKAGER_XSD_DIR:
`packager xsd install --from <a copy of shared/xsd>`, then validate, export --format all,
check, build (packager.toml) and import, all with official-XSD validation on. pip reaches the
package index for the wheel's dependencies (its own cache makes that quick).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.conftest import CONTENT, ROOT, xsd_dir

pytestmark = pytest.mark.wheel
SKIPPED_NOTE = "validation was skipped"  # export's and build's NO_XSDS_NOTE


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return sdist, wheel


def test_the_sdist_and_the_wheel_hold_the_license_and_the_xsd_pins(
    dists: tuple[Path, Path],
) -> None:
    sdist, wheel = dists
    assert wheel.name.startswith("question_bank_packager-")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        (metadata,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        assert "Name: question-bank-packager" in zf.read(metadata).decode()
    stem = wheel.name.split("-py3")[0]
    assert f"{stem}.dist-info/licenses/LICENSE" in names
    assert {
        "packager/xsd_manifest.json",
        "packager/xsd_local/catalog.xml",
        "packager/_schemas/question-bank.schema.json",
    } <= names
    # The official XSDs themselves are never in the wheel: `packager xsd install` fetches them.
    assert not [n for n in names if n.endswith("imsqti_v2p1.xsd")]
    with tarfile.open(sdist) as tf:
        members = set(tf.getnames())
    top = sdist.name.removesuffix(".tar.gz")
    assert {f"{top}/LICENSE", f"{top}/packager/xsd_manifest.json"} <= members
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")


def test_a_fresh_virtualenv_with_only_the_wheel_runs_every_command_with_xsds(
    dists: tuple[Path, Path], tmp_path: Path
) -> None:
    _, wheel = dists
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    installed = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True, text=True, check=False,
    )
    assert installed.returncode == 0, installed.stderr

    home = tmp_path / "home"
    work = tmp_path / "work"  # an empty folder outside the repository, then the user's files
    home.mkdir()
    work.mkdir()
    shutil.copytree(CONTENT, work / "content")
    xsd_copy = tmp_path / "xsd-copy"
    shutil.copytree(xsd_dir(), xsd_copy)
    env = {
        k: v for k, v in os.environ.items()
        if k not in {"PACKAGER_XSD_DIR", "PACKAGER_CACHE_DIR", "XML_CATALOG_FILES",
                     "PYTHONPATH", "VIRTUAL_ENV"}
    }
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), USERPROFILE=str(home))
    if os.name == "nt":  # platformdirs asks Windows itself, not the environment
        env["PACKAGER_CACHE_DIR"] = str(home / "packager-cache")
    packager = str(scripts / "packager")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [packager, *args], cwd=work, env=env, capture_output=True, text=True, check=False
        )

    # It is the wheel that runs, not the checkout.
    where = subprocess.run(
        [str(python), "-c", "import packager; print(packager.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)

    status = run("xsd", "status", "--format", "json")
    assert status.returncode == 5, status.stderr
    before = json.loads(status.stdout)
    assert before["source"] == "none"
    # Never the real user's cache: the test stops here if HOME did not move it.
    assert Path(before["cache_directory"]).is_relative_to(home)
    control = run("export", "--format", "qti21", "-o", "control", "content/neon-broccoli.json")
    assert control.returncode == 0 and SKIPPED_NOTE in control.stderr  # the test can fail

    done = run("xsd", "install", "--from", str(xsd_copy))
    assert done.returncode == 0, done.stderr
    status = run("xsd", "status", "--format", "json")
    assert status.returncode == 0, status.stdout
    after = json.loads(status.stdout)
    assert after["source"] == "cache" and after["ok"] is True
    assert Path(after["directory"]).is_relative_to(home)

    validated = run("validate")
    assert validated.returncode == 0, validated.stdout + validated.stderr

    exported = run("export", "--format", "all", "--skip-unsupported")
    assert exported.returncode == 0, exported.stderr
    assert SKIPPED_NOTE not in exported.stderr
    packages = sorted(str(p) for p in (work / "dist").glob("*.zip"))
    assert len(packages) >= 10

    checked = run("check", *packages)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "INVALID" not in checked.stdout

    (work / "packager.toml").write_text(
        'banks = ["content/*.json"]\nformats = ["all"]\nout = "release"\n'
        "skip_unsupported = true\njobs = 2\n",
        encoding="utf-8",
    )
    built = run("build")
    assert built.returncode == 0, built.stderr
    assert SKIPPED_NOTE not in built.stderr
    assert (work / "release" / "SHA256SUMS").is_file()

    moodle = next((work / "dist").glob("neon-broccoli-*.moodle.xml"))
    imported = run("import", str(moodle), "--out", "imported/neon.json")
    assert imported.returncode == 0, imported.stderr
    again = run("validate", "imported/neon.json")
    assert again.returncode == 0, again.stdout + again.stderr
