"""packager: compile canonical JSON question banks into LMS packages.

The Python API (docs/api.md): `load`, `validate`, `export` and `build` (packager.api), and the
types they take, give and raise. Each is imported on first use, so `import packager` (and
`packager --help`) does not load the model, lxml or the writers.
"""

# Not typing.TYPE_CHECKING (nor `from __future__ import annotations`): each import would add
# to the cost of `import packager`, which every command pays.
TYPE_CHECKING = False

__version__ = "0.1.0"

# Name -> the module that defines it.
_API = {
    "load": "packager.api",
    "validate": "packager.api",
    "export": "packager.api",
    "build": "packager.api",
    "Bank": "packager.model",
    "LoadedBank": "packager.pipeline",
    "Artifact": "packager.pipeline",
    "Diagnostic": "packager.diagnostics",
    "PackagerError": "packager.errors",
    "UsageError": "packager.errors",
    "InputError": "packager.errors",
    "UnsupportedError": "packager.errors",
    "OutputValidationError": "packager.errors",
    "PackagerIOError": "packager.errors",
}

__all__ = [
    "Artifact",
    "Bank",
    "Diagnostic",
    "InputError",
    "LoadedBank",
    "OutputValidationError",
    "PackagerError",
    "PackagerIOError",
    "UnsupportedError",
    "UsageError",
    "__version__",
    "build",
    "export",
    "load",
    "validate",
]

if TYPE_CHECKING:
    from typing import Any

    from packager.api import build, export, load, validate
    from packager.diagnostics import Diagnostic
    from packager.errors import (
        InputError,
        OutputValidationError,
        PackagerError,
        PackagerIOError,
        UnsupportedError,
        UsageError,
    )
    from packager.model import Bank
    from packager.pipeline import Artifact, LoadedBank


def __getattr__(name: str) -> "Any":
    import importlib

    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'packager' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value
