"""lxml.etree for the modules that import it only when first used, so that a command that
parses no XML or HTML never loads it: `from lxml import etree` inside a function costs about
2.5 µs a call (importlib's handling of the names after `import`, in Python), which the render
path paid several times for every text."""

from __future__ import annotations

from functools import cache
from types import ModuleType


@cache
def etree() -> ModuleType:
    from lxml import etree as module

    return module
