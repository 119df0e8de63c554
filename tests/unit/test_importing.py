"""packager.importing: media are checked where they will be, written beside the bank, and a
bank or media file that exists is not overwritten without --force."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packager.errors import UsageError
from packager.importing import checked, collisions, files, with_overrides
from packager.model import Bank
from packager.readers.imported import Imported
from packager.relpath import same_file_key
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


@pytest.mark.parametrize("name, source", [
    ("bank.txt", b"Situation: A pump fails. Which valve do you close?\n- The inlet\n- The outlet\n"
                 b"Explanation: The correct answer is the inlet.\n"),
    ("bank.xml", b'<?xml version="1.0"?><quiz><question type="multichoice"><name><text>Q</text>'
                 b'</name><questiontext format="html"><text>Pick one.</text></questiontext>'
                 b'<single>true</single><answer fraction="100"><text>Yes</text></answer>'
                 b'<answer fraction="0"><text>No</text></answer><generalfeedback format="html"><text>'
                 b'Yes.</text></generalfeedback></question></quiz>'),
])
def test_an_import_walks_the_banks_rules_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: bytes
) -> None:
    """The reader's model walks the bank's rules (invariants.bank_problems) as it builds the
    bank, and the import's check takes that walk (invariants.problems_of) instead of walking
    the same bank again, a sixth of a second at 10,000 questions."""
    from packager import importing
    from packager.model import invariants

    walked: list[object] = []
    real = invariants.bank_problems
    monkeypatch.setattr(invariants, "bank_problems",
                        lambda bank: walked.append(bank) or real(bank))
    (tmp_path / name).write_bytes(source)
    result = importing.import_file(tmp_path / name, "auto", tmp_path / "bank.json")
    assert result.ok, result.diagnostics
    assert len(walked) == 1


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


def _placed(media: dict[str, bytes]) -> Any:
    """The import of one question showing each image, moved to the bank's own folder."""
    from packager.import_media import into_own_folder

    hrefs = list(media)
    prompts = [" ".join(f"![x](<{h}>)" for h in hrefs[i:i + 100])
               for i in range(0, len(hrefs), 100)]
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "imp", "title": "Imported",
        "questions": [{"id": f"q{n}", "type": "text", "prompt": prompt}
                      for n, prompt in enumerate(prompts, 1)],
    })
    return into_own_folder(Imported(bank, media), Path("out/b.json"), "quiz.zip")


@pytest.mark.parametrize("twin", ["media/Chart.png", "media/CHART.PNG"])
def test_media_names_one_file_on_windows_and_macos_get_a_file_each_unless_the_same_bytes(
    twin: str,
) -> None:
    """`media/Chart.png` and `media/chart.png` are one file on Windows and macOS: written
    there, one image would replace the other. Such a package (two files on the Linux
    server that made it) was refused, with a hint to edit a stranger's zip (portability
    review 32, F3); the same bytes were refused too, by the bank check. Different bytes take
    a name of their own, the same bytes one file, each told."""
    moved = _placed({"media/chart.png": PNG, twin: PNG + b"other"})
    name = twin.split("/")[1]  # upper case sorts first: it keeps its name
    assert moved.media == {f"media/b/{name}": PNG + b"other", "media/b/chart-2.png": PNG}
    assert len({same_file_key(h) for h in moved.media}) == 2
    (note,) = moved.notes
    assert note.kind == "changed" and "differs from" in note.message and "only in letter case" in (
        note.message)
    same = _placed({"media/chart.png": PNG, twin: PNG})
    assert list(same.media) == [f"media/b/{name}"]
    assert same.bank.questions[0].prompt.count(f"media/b/{name}") == 2
    (note,) = same.notes
    assert "the same image as" in note.message


@pytest.mark.parametrize(("media", "told"), [
    ({"media/x./a.png": PNG, "media/x/a.png": PNG + b"other"},
     "image 'media/x/a.png' written as 'media/b/x/a-2.png': its name differs from "
     "'media/x./a.png' only in a dot or a space at a name's end (one file on Windows), and "
     "the image does not"),
    ({"media/a.png": PNG, "media/a.png.": PNG + b"other"},
     "image 'media/a.png.' written as 'media/b/a-2.png': its name has the segment 'a.png.', "
     "which ends in a dot or a space; it differs from 'media/a.png' only in a dot or a space "
     "at a name's end (one file on Windows), and the image does not"),
    ({"media/A.png.": PNG, "media/a.png": PNG + b"other"},
     "image 'media/a.png' written as 'media/b/a-2.png': its name differs from 'media/A.png.' "
     "only in letter case and in a dot or a space at a name's end (one file on Windows or "
     "macOS), and the image does not"),
    ({"media/a*b.png": PNG, "media/a-b.png": PNG + b"other"},
     "image 'media/a-b.png' written as 'media/b/a-b-2.png': its name differs from "
     "'media/a*b.png' only in characters Windows cannot store, written '-' (one file on "
     "Windows), and the image does not"),
])
def test_media_twins_are_told_what_their_names_differ_in(
    media: dict[str, bytes], told: str
) -> None:
    """Names one file on Windows for a dot at a segment's end (`x./a.png`, `x/a.png`) or a
    character it cannot store were said to differ "only in letter case or in how accents are
    encoded", which they did not (review 33); `a.png.` taking `a-2.png` did not say why."""
    assert told in [note.message for note in _placed(media).notes]


def test_media_names_that_differ_in_how_an_accent_is_encoded_are_one_file_too() -> None:
    """F13: a decomposed name (a Mac's zip) was written decomposed, and the bank's reference
    too; git on a Mac commits the file composed, and the bank then found no file on Linux."""
    nfc, nfd = "media/caf\u00e9.png", "media/cafe\u0301.png"
    moved = _placed({nfd: PNG})
    assert list(moved.media) == ["media/b/caf\u00e9.png"]
    assert "media/b/caf\u00e9.png" in moved.bank.questions[0].prompt
    assert "NFC" in moved.notes[0].message
    both = _placed({nfc: PNG, nfd: PNG + b"other"})
    assert sorted(both.media) == ["media/b/caf\u00e9-2.png", "media/b/caf\u00e9.png"]


@pytest.mark.parametrize(("name", "written"), [
    ("con.png", "_con.png"), ("a:b.png", "a-b.png"), ("notes?.png", "notes-.png"),
    ("drafts./x.png", "drafts/x.png"), ("x" * 300 + ".png", "x" * 250 + ".png"),
    ("con.-" + "y" * 300, "_con.-" + "y" * 248),
])
def test_an_image_name_windows_cannot_store_is_written_under_one_it_can(
    name: str, written: str
) -> None:
    """F2: a stranger's `con.png` (a name Windows keeps for a device) or `a:b.png`, legal
    where the package was made, was dropped from the import with a note; packager chooses
    the names under the bank's folder, so it is renamed and kept."""
    moved = _placed({f"media/{name}": PNG})
    assert list(moved.media) == [f"media/b/{written}"]
    assert f"media/b/{written}" in moved.bank.questions[0].prompt
    (note,) = moved.notes
    assert note.message.startswith(f"image 'media/{name}' written as 'media/b/{written}': its name")
    assert str(note.location) == "quiz.zip"


@pytest.mark.parametrize("image", ["media/a.png", "media/A.png"])
def test_an_image_named_as_a_folder_of_another_is_written_under_a_name_of_its_own(
    image: str,
) -> None:
    """Review 33: a package holding `a.png` and `a.png/b.png` (a zip may) made the import's
    check write a file where a folder had to be: a traceback (exit 1). `A.png` beside the
    folder `a.png/` is one name on Windows and macOS, where the bank could not be checked out."""
    moved = _placed({image: PNG, "media/a.png/b.png": PNG + b"b"})
    renamed = f"media/b/{image.removeprefix('media/').replace('.png', '-2.png')}"
    assert sorted(moved.media) == sorted([renamed, "media/b/a.png/b.png"])
    assert renamed in moved.bank.questions[0].prompt
    (note,) = moved.notes
    assert note.message == (f"image {image!r} written as {renamed!r}: a folder of the package "
                            "has its name (or one Windows and macOS take for it)")


@pytest.mark.parametrize(("one", "other", "same"), [
    ("Maße.png", "Masse.png", False), ("\ufb01le.png", "file.png", False),
    ("Image.png", "image.png", True), ("\u00c9t\u00e9.png", "\u00e9t\u00e9.png", True),
    ("\u01c5.png", "\u01c6.png", True), ("\u03a3.png", "\u03c2.png", True),
])
def test_names_are_one_file_by_letter_case_compared_letter_by_letter(
    one: str, other: str, same: bool
) -> None:
    """Review 32 (F4), fixed in review 33: full case folding (`ß` → `ss`) made `Maße.png`
    and `Masse.png`, two German words and two files on every system, one name: the second
    was renamed with an untrue note, and `check` reported a false problem."""
    assert (same_file_key(one) == same_file_key(other)) is same
    moved = _placed({f"media/{one}": PNG, f"media/{other}": PNG + b"other"})
    assert len(moved.notes) == (1 if same else 0)


@pytest.mark.parametrize(("stem", "extension"), [("a" * 251, "png"), ("a", "b" * 253)])
def test_a_numbered_twin_of_the_longest_name_stays_within_what_file_systems_store(
    stem: str, extension: str
) -> None:
    """Review 32 of the change: two 255-byte names differing in case (legal on Linux) gave
    `…-2.png` of 256 bytes, and the import was refused; review 33: so did an extension too
    long to leave room for `-2` (`a.bbb…`)."""
    from packager.relpath import relpath_problem

    moved = _placed({f"media/{stem.upper()}.{extension}": PNG,
                     f"media/{stem}.{extension}": PNG + b"x"})
    assert len(moved.media) == 2
    assert all(relpath_problem(href) is None for href in moved.media)


def test_many_names_of_one_file_take_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hostile package of every letter case of one name: each new one tried every `-n`
    from the first (n squared). Counted, not timed (review 33: 8,000 names timed against 3 s
    failed the linear version on a loaded machine, the time being the bank's texts'): each
    name is keyed once and tries about one `-n`."""
    import itertools

    import packager.import_media as import_media

    names = ["".join(c) for c in itertools.product(*("aA" for _ in range(13)))][:8000]
    media = {f"media/{n}.png": PNG + n.encode() for n in names}
    calls = 0

    def counted(name: str) -> str:
        nonlocal calls
        calls += 1
        assert calls <= 3 * len(names), "each name tried the -n of the names before it"
        return same_file_key(name)

    monkeypatch.setattr(import_media, "same_file_key", counted)
    placed = import_media._own_names(media, "media/b")
    assert len({same_file_key(path) for path, _ in placed.values()}) == len(names)


def test_into_own_folder_moves_every_image_and_nothing_else() -> None:
    """Markdown images, reference definitions and HTML `<img>` point at the bank's own folder;
    Markdown shown in a code span, a path in plain text and a web image stay as they were."""
    from packager.import_media import into_own_folder

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
    moved = into_own_folder(Imported(bank, {"media/chart.png": PNG, "media/a b.png": PNG}),
                            Path("out/week-1.json"), "quiz.xml")
    assert moved.media == {"media/week-1/chart.png": PNG, "media/week-1/a b.png": PNG}
    assert moved.bank.description == "![chart](media/week-1/chart.png)"
    assert moved.bank.questions[0].prompt == (
        "See ![chart](media/week-1/chart.png) and ![b](<media/week-1/a b.png>)\n\n"
        'Code: `![x](media/chart.png)`, text: media/chart.png, '
        '<img src="media/week-1/chart.png" alt="c" width="10"/> ![r][ref]\n\n'
        "[ref]: media/week-1/chart.png\n"
    )
    assert into_own_folder(Imported(bank), Path("out/week-1.json"), "q.xml").bank is bank
