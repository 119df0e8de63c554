"""Text formats made of blocks separated by a blank line (GIFT, Aiken)."""

from __future__ import annotations

from collections.abc import Iterable


def join_blocks(blocks: Iterable[str]) -> str:
    """Blocks separated by a blank line, ending with a newline (GIFT and Aiken files)."""
    return "\n\n".join(blocks) + "\n"


def join_blocks_utf8(blocks: Iterable[str]) -> bytes:
    """join_blocks(...) encoded as UTF-8, one block at a time: a bank with emoji would
    otherwise hold its whole text as four bytes per character, then the bytes again."""
    return b"\n\n".join(block.encode("utf-8") for block in blocks) + b"\n"
