"""packager's modules compiled to bytecode before anything is timed, as `pip install`
compiles an installed package. A checkout run where PYTHONDONTWRITEBYTECODE is set (as on
this project's CI machines) would otherwise compile every module it imports on every run,
a tenth of a second no installed copy pays; text2qti, the baseline, is installed compiled."""

from __future__ import annotations

import compileall
import importlib.util
from pathlib import Path


def compile_packager() -> None:
    spec = importlib.util.find_spec("packager")
    if spec is None or spec.origin is None:
        raise SystemExit("packager is not importable: run make install")
    # quiet=2: an installed copy in a folder this user cannot write is already compiled.
    compileall.compile_dir(Path(spec.origin).parent, quiet=2)
