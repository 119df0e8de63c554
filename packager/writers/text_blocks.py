"""Text formats made of blocks separated by a blank line (GIFT, Aiken)."""

from __future__ import annotations

from collections.abc import Iterable


def join_blocks(blocks: Iterable[str]) -> str:
    """Blocks separated by a blank line, ending with a newline (GIFT and Aiken files)."""
    return "\n\n".join(blocks) + "\n"


def blocks_utf8(blocks: Iterable[str]) -> list[bytes]:
    """join_blocks(...) encoded as UTF-8, in pieces: each block with the line breaks after
    it. Never joined here: a build writes them one after another into the file, where the
    joined text (and the joined text again, with its last newline) tripled a big bank's
    file at its peak; a whole-text str would hold four bytes per emoji."""
    pieces = [f"{block}\n\n".encode() for block in blocks]
    if not pieces:
        return [b"\n"]
    pieces[-1] = pieces[-1][:-1]
    return pieces
