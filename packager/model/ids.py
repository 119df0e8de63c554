"""Identifier rules: every exported identifier is derived from bank and question ids.

Derivation is deterministic (no uuid, no counters that shift when a question is added), so
re-exports diff cleanly.
"""

from __future__ import annotations

import hashlib
import re

_NON_NAME = re.compile(r"[^A-Za-z0-9_.-]")


def digest(*parts: str, size: int = 8) -> str:
    """A short, stable hex digest of the parts (text2qti-style content hash)."""
    h = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=size)
    return h.hexdigest()


def ncname(prefix: str, *parts: str) -> str:
    """An XML NCName: the prefix (a letter first) and the parts joined by '_'."""
    body = "_".join(_NON_NAME.sub("_", p) for p in parts)
    name = f"{prefix}{body}" if prefix else body
    if not name or not (name[0].isalpha() or name[0] == "_"):
        name = f"id_{name}"
    return name
