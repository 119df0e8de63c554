"""The quiz player's data as the tests read and tamper with it: quiz-data.js parsed back into
JSON, and JSON written as such a script (how packages write it is player.quiz_data_pieces)."""

from __future__ import annotations

import json
from typing import Any

from packager.model import Bank
from packager.packages import player

PREFIX = "window.PACKAGER_QUIZ = "


def quiz_data(bank: Bank, scorm: str | None, media_paths: dict[str, str]) -> dict[str, Any]:
    script = b"".join(player.quiz_data_pieces(bank, scorm, media_paths)).decode("utf-8")
    data: dict[str, Any] = json.loads(script.split(PREFIX, 1)[1].rstrip().removesuffix(";"))
    return data


def quiz_script(data: dict[str, Any]) -> bytes:
    return (PREFIX + json.dumps(data, ensure_ascii=False) + ";\n").encode("utf-8")
