"""packager.importing: media are checked where they will be, written beside the bank, and a
bank or media file that exists is not overwritten without --force."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import UsageError
from packager.importing import checked, collisions, files, with_overrides
from packager.model import Bank
from packager.readers.imported import Imported
from tests.conftest import CONTENT

PNG = (CONTENT / "media" / "leads-chart.png").read_bytes()


def _imported(media: dict[str, bytes]) -> Imported:
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "imp", "title": "Imported",
        "questions": [{"id": "q1", "type": "text", "prompt": "See ![chart](media/chart.png)"}],
    })
    return Imported(bank, media)


def test_media_are_checked_by_their_bytes_before_anything_is_written(tmp_path: Path):
    out = tmp_path / "bank.json"
    bank, diagnostics = checked(_imported({"media/chart.png": PNG}), out)
    assert bank is not None, diagnostics
    bank, diagnostics = checked(_imported({"media/chart.png": b"<script>x</script>"}), out)
    assert bank is None
    assert "media file 'media/chart.png' is not an image" in diagnostics[0].message
    bank, diagnostics = checked(_imported({}), out)
    assert bank is None and "does not exist" in diagnostics[0].message
    assert list(tmp_path.iterdir()) == []


def test_files_put_media_beside_the_bank(tmp_path: Path):
    planned = files(_imported({"media/chart.png": PNG}), tmp_path / "out" / "bank.json")
    assert [p.relative_to(tmp_path).as_posix() for p, _ in planned] == [
        "out/bank.json", "out/media/chart.png"]


def test_existing_files_collide_unless_identical_media_or_forced(tmp_path: Path):
    planned = files(_imported({"media/chart.png": PNG}), tmp_path / "bank.json")
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "chart.png").write_bytes(PNG)
    assert collisions(planned, force=False) == []
    (tmp_path / "media" / "chart.png").write_bytes(PNG + b"x")
    assert collisions(planned, force=False) == [str(tmp_path / "media" / "chart.png")]
    assert collisions(planned, force=True) == []


def test_overrides_replace_id_and_title_only_when_given():
    imported = _imported({})
    assert with_overrides(imported, None, None) is imported
    changed = with_overrides(imported, "new-id", "New")
    assert (changed.bank.id, changed.bank.title) == ("new-id", "New")


def test_an_import_into_an_existing_bank_file_is_refused_before_reading(tmp_path: Path):
    from packager.importing import import_file

    out = tmp_path / "bank.json"
    out.write_text("{}")
    result = import_file(tmp_path / "missing.gift", "gift", out)
    assert isinstance(result.error, UsageError) and "exists" in result.error.message
    assert not result.ok and out.read_text() == "{}"


@pytest.mark.parametrize("href", ["../evil.png", "media/../../evil.png", "/etc/evil.png",
                                  "media\\..\\evil.png", "C:/evil.png"])
def test_a_media_name_that_leaves_the_folder_is_refused_before_anything_is_written(
    tmp_path: Path, href: str
):
    """Whatever a reader passes on from a stranger's package, nothing is written outside."""
    from packager.errors import InputError

    out = tmp_path / "out" / "bank.json"
    with pytest.raises(InputError, match="nothing was written"):
        files(_imported({"media/chart.png": PNG, href: PNG}), out)
    assert list(tmp_path.iterdir()) == []


def test_overrides_are_validated_as_the_model_validates_them():
    with pytest.raises(UsageError, match=r"--title 'Bell\\x07': .*control character"):
        with_overrides(_imported({}), None, "Bell\x07")
    with pytest.raises(UsageError, match=r"--id 'Not A Slug'"):
        with_overrides(_imported({}), "Not A Slug", None)


def test_a_bank_with_something_to_say_is_checked_as_written(tmp_path: Path):
    """The in-memory check is a shortcut for clean banks only: a warning or error is reported
    at its line in the text that will be written."""
    bank, diagnostics = checked(_imported({}), tmp_path / "bank.json")
    assert bank is None
    assert diagnostics[0].line == 8 and diagnostics[0].file == str(tmp_path / "bank.json")


def test_a_clean_bank_is_not_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import packager.pipeline

    def read_back(*_: object) -> None:
        raise AssertionError("a clean bank was parsed and validated a second time")

    monkeypatch.setattr(packager.pipeline, "check", read_back)
    bank, diagnostics = checked(_imported({"media/chart.png": PNG}), tmp_path / "bank.json")
    assert bank is not None and diagnostics == []


def test_the_media_of_a_question_left_out_are_not_written(tmp_path: Path) -> None:
    """A reader extracts an item's images as it reads it; the model may leave the item out
    afterwards (two matching rows with one prompt), and its images must go with it."""
    import base64

    from packager.importing import read
    from packager.readers.base import Source

    def image(name: str) -> str:
        data = base64.b64encode(PNG).decode()
        return (f'<questiontext format="html"><text><![CDATA[<p>See <img src="@@PLUGINFILE@@/'
                f'{name}"></p>]]></text><file name="{name}" encoding="base64">{data}</file>'
                "</questiontext>")

    row = "<subquestion><text>Same</text><answer><text>{}</text></answer></subquestion>"
    quiz = (
        '<?xml version="1.0"?><quiz>'
        f'<question type="matching"><name><text>M</text></name>{image("left-out.png")}'
        f'{row.format("one")}{row.format("two")}{row.format("three")}</question>'
        f'<question type="truefalse"><name><text>T</text></name>{image("kept.png")}'
        '<answer fraction="100"><text>true</text></answer>'
        '<answer fraction="0"><text>false</text></answer></question></quiz>'
    )
    imported = read(Source("quiz.xml", quiz.encode(), tmp_path), "moodle")
    assert [q.type for q in imported.bank.questions] == ["true_false"]
    assert any(n.kind == "dropped" and "same prompt" in n.message for n in imported.notes)
    assert list(imported.media) == ["media/kept.png"]
    assert [p.name for p, _ in files(imported, tmp_path / "bank.json")] == ["bank.json", "kept.png"]


@pytest.mark.parametrize("twin", ["media/Chart.png", "media/CHART.PNG"])
def test_media_names_one_file_on_windows_and_macos_are_refused_unless_the_same_bytes(
    tmp_path: Path, twin: str
):
    """`media/Chart.png` and `media/chart.png` are one file on Windows and macOS: written
    there, one image would replace the other, unseen (the checks would then read one file
    twice). Two such names with different bytes refuse the import; the same bytes are one
    image under two spellings, harmless."""
    from packager.errors import InputError

    out = tmp_path / "bank.json"
    with pytest.raises(InputError, match="one file on Windows and macOS") as caught:
        files(_imported({"media/chart.png": PNG, twin: PNG + b"other"}), out)
    assert twin in caught.value.message and "nothing was written" in caught.value.message
    planned = files(_imported({"media/chart.png": PNG, twin: PNG}), out)
    assert sorted(p.name for p, _ in planned[1:]) == sorted(["chart.png", twin.split("/")[1]])


def test_media_names_that_differ_in_how_an_accent_is_encoded_are_one_file_too(tmp_path: Path):
    from packager.errors import InputError

    nfc, nfd = "media/caf\u00e9.png", "media/cafe\u0301.png"
    with pytest.raises(InputError, match="one file on Windows and macOS"):
        files(_imported({nfc: PNG, nfd: PNG + b"other"}), tmp_path / "bank.json")


def test_into_own_folder_moves_every_image_and_nothing_else() -> None:
    """Markdown images, reference definitions and HTML `<img>` point at the bank's own folder;
    Markdown shown in a code span, a path in plain text and a web image stay as they were."""
    from packager.importing import into_own_folder

    prompt = (
        "See ![chart](media/chart.png) and ![b](<media/a b.png>)\n\n"
        'Code: `![x](media/chart.png)`, text: media/chart.png, '
        '<img src="media/chart.png" alt="c" width="10"/> ![r][ref]\n\n'
        "[ref]: media/chart.png\n"
    )
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "imp", "title": "Imported",
        "description": "![chart](media/chart.png)",
        "questions": [{"id": "q1", "type": "text", "prompt": prompt}],
    })
    moved = into_own_folder(
        Imported(bank, {"media/chart.png": PNG, "media/a b.png": PNG}), Path("out/week-1.json"))
    assert moved.media == {"media/week-1/chart.png": PNG, "media/week-1/a b.png": PNG}
    assert moved.bank.description == "![chart](media/week-1/chart.png)"
    assert moved.bank.questions[0].prompt == (
        "See ![chart](media/week-1/chart.png) and ![b](<media/week-1/a b.png>)\n\n"
        'Code: `![x](media/chart.png)`, text: media/chart.png, '
        '<img src="media/week-1/chart.png" alt="c" width="10"/> ![r][ref]\n\n'
        "[ref]: media/week-1/chart.png\n"
    )
    assert into_own_folder(Imported(bank), Path("out/week-1.json")).bank is bank  # no media
