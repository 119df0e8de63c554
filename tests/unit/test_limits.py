"""Size limits (issue 14, item 10): media per file and per bank, and what Moodle XML embeds."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from packager.errors import UnsupportedError
from packager.limits import MAX_BANK_MEDIA_BYTES, MAX_EMBEDDED_BYTES, MAX_MEDIA_BYTES
from packager.pipeline import check, export, load
from packager.readers.base import Source
from tests.conftest import make_ctx

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _image(path: Path, size: int) -> None:
    """A sparse file of `size` bytes starting like a PNG: the size is real, the disk is not used."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG)
    os.truncate(path, size)


def _bank(folder: Path, prompts: list[str]) -> Path:
    questions = [
        {"id": f"q{i}", "type": "single_choice", "prompt": p, "explanation": "Because.",
         "choices": [{"id": "a", "text": "Yes", "correct": True}, {"id": "b", "text": "No"}]}
        for i, p in enumerate(prompts)
    ]
    path = folder / "bank.json"
    path.write_text(json.dumps({"format": "packager.question-bank/1", "id": "big",
                                "title": "Big", "questions": questions}), encoding="utf-8")
    return path


def test_the_media_of_one_bank_are_limited_together(tmp_path: Path):
    count = MAX_BANK_MEDIA_BYTES // MAX_MEDIA_BYTES + 1
    for i in range(count):
        _image(tmp_path / "media" / f"m{i}.png", MAX_MEDIA_BYTES)
    path = _bank(tmp_path, [f"![m](media/m{i}.png)" for i in range(count)])
    bank, diagnostics = check(Source.from_path(path))
    assert bank is None
    (found,) = [d for d in diagnostics if d.is_error]
    assert found.message == (
        f"the bank's media files add up to {count * 20} MiB, more than the 500 MiB one bank "
        "may use"
    )


def test_one_file_at_the_limit_is_fine(tmp_path: Path):
    _image(tmp_path / "media" / "m.png", MAX_MEDIA_BYTES)
    bank, diagnostics = check(Source.from_path(_bank(tmp_path, ["![m](media/m.png)"])))
    assert bank is not None, diagnostics


def test_moodle_xml_refuses_to_embed_more_than_its_limit_before_reading_any_image(
    tmp_path: Path, xsd_path: Path
):
    size = MAX_MEDIA_BYTES - 1024
    uses = MAX_EMBEDDED_BYTES // (size * 4 // 3) + 1
    _image(tmp_path / "media" / "big.png", size)
    loaded = load(_bank(tmp_path, ["![b](media/big.png)"] * uses))
    with pytest.raises(UnsupportedError, match=r"Moodle XML would embed 1\d{3} MiB of images"):
        export(loaded, "moodle", make_ctx(xsd_path))
    # Formats that store the image once are not affected (checked on one of them).
    assert export(loaded, "qti21", make_ctx(xsd_path)).data


def test_moodle_xml_counts_a_shared_stimulus_in_every_question_that_shows_it(
    tmp_path: Path, xsd_path: Path
):
    size = MAX_MEDIA_BYTES - 1024
    uses = MAX_EMBEDDED_BYTES // (size * 4 // 3) + 1
    _image(tmp_path / "media" / "big.png", size)
    path = _bank(tmp_path, ["Which?"] * uses)
    bank = json.loads(path.read_text(encoding="utf-8"))
    bank["stimuli"] = [{"id": "case", "body": "![b](media/big.png)"}]
    for question in bank["questions"]:
        question["stimulus"] = "case"
    path.write_text(json.dumps(bank), encoding="utf-8")
    loaded = load(path)
    with pytest.raises(UnsupportedError, match=r"Moodle XML would embed 1\d{3} MiB of images"):
        export(loaded, "moodle", make_ctx(xsd_path))


def _with_an_image_in_every_text(bank: dict, image: str) -> None:
    """Append the image to every rich text of the bank (in place)."""
    shown = f" ![i]({image})"
    if "description" in bank:
        bank["description"] += shown
    for stimulus in bank.get("stimuli", []):
        stimulus["body"] += shown
    for q in bank["questions"]:
        for key in ("scenario", "prompt", "explanation", "feedback_true", "feedback_false",
                    "rubric", "sample_answer"):
            if key in q:
                q[key] += shown
        for key in ("correct", "incorrect"):
            if key in q.get("feedback", {}):
                q["feedback"][key] += shown
        for choice in q.get("choices", []):
            choice["text"] += shown
            if "feedback" in choice:
                choice["feedback"] += shown
        for pair in q.get("pairs", []):
            pair["prompt"] += shown
        if "items" in q:
            q["items"] = [item + shown for item in q["items"]]


def test_moodle_xml_bounds_exactly_the_images_it_writes(tmp_path: Path, xsd_path: Path):
    """The bound's count of embedded bytes (writers.moodle.embedded_groups) is the base64
    the file holds, with an image in every text of every question type, feedback of every
    kind and a shared stimulus: a text the count missed or undercounted fails here."""
    import shutil

    from lxml import etree

    from packager.packages.base import Job
    from packager.packages.moodle import _embedded_size
    from tests.conftest import CONTENT

    shutil.copytree(CONTENT / "media", tmp_path / "media")
    bank = json.loads((CONTENT / "sample-all-types.json").read_text(encoding="utf-8"))
    _with_an_image_in_every_text(bank, "media/leads-chart.png")
    for q in bank["questions"]:
        if q["type"] == "short_answer":
            q["answers"] = q["answers"] * 3  # the correct feedback beside every answer
            q.setdefault("feedback", {}).update(correct="Yes ![i](media/leads-chart.png)")
    path = tmp_path / "every-text.json"
    path.write_text(json.dumps(bank), encoding="utf-8")
    loaded = load(path)
    ctx = make_ctx(xsd_path, skip_unsupported=True)
    written = export(loaded, "moodle", ctx).data
    files = etree.fromstring(written).iter("file")
    job = Job(bank=loaded.bank, media=loaded.media, ctx=ctx)
    assert _embedded_size(job) == sum(len(f.text or "") for f in files) > 0


def test_standard_input_is_read_only_up_to_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from packager.errors import InputError
    from packager.readers import base

    monkeypatch.setattr(base, "MAX_STDIN_BYTES", 8)
    stream = io.BytesIO(b"123456789" + b"x" * 1000)
    with pytest.raises(InputError, match="<stdin>: more than 8 bytes"):
        base.Source.from_stdin(stream, Path.cwd())
    assert stream.tell() == 9  # stopped one byte past the limit, not at the end
    assert base.Source.from_stdin(io.BytesIO(b"12345678"), Path.cwd()).data == b"12345678"
