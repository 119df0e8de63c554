"""Text formats (GIFT, Aiken, Blackboard text) give their file in pieces, never joined."""

from __future__ import annotations

from typing import Any

import pytest

from packager.capabilities import without_questions
from packager.formats import TARGETS
from packager.packages.base import Chunks, Job
from packager.pipeline import fidelity_notes
from tests.conftest import make_ctx


@pytest.mark.parametrize("target", ["aiken", "gift", "bbtext"])
def test_a_text_file_comes_in_pieces_that_join_to_its_text(load_bank: Any, target: str) -> None:
    """Joined, and joined again with its last newline, a 50,000-question GIFT file (118 MB)
    was held two or three times at its job's peak; a build writes the pieces one after
    another into the file."""
    from packager import capabilities

    loaded = load_bank("sample-all-types")
    unsupported = set(capabilities.unsupported_ids(fidelity_notes(loaded, target)))
    bank = without_questions(loaded.bank, unsupported)
    module = TARGETS[target].load()
    output = module.build(Job(bank, [], make_ctx()))
    (entry,) = output.entries.values()
    assert isinstance(entry, Chunks) and len(entry.pieces) > 1
    assert b"".join(entry.pieces) == _text(target, bank).encode("utf-8")


def _text(target: str, bank: Any) -> str:
    """The file's text as the writers give it whole."""
    from packager.packages.gift import ordering_as_matching
    from packager.writers import aiken, bbtext, gift

    if target == "aiken":
        return aiken.write(bank)
    if target == "gift":
        return gift.write(ordering_as_matching(bank))
    return "".join(line + bbtext.NEWLINE for line in bbtext.lines(bank))
