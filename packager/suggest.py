""""Did you mean …?" for a mistyped name (a format, a preset, a question type, a config key)."""

from __future__ import annotations

from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'qti'?)" to append to a message about `word`, or "" when no choice is
    close. Two candidates at most: `multiple_choice` is as near `single_choice` as
    `multiple_response`, and which was meant is the author's call, not ours."""
    from difflib import get_close_matches

    matches = get_close_matches(word.strip().lower(), list(dict.fromkeys(choices)), n=2)
    if not matches:
        return ""
    return " (did you mean " + " or ".join(repr(m) for m in matches) + "?)"
