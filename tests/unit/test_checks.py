"""packager.checks: rich-text and media problems, located exactly as a walk over every field."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from packager.checks import RICHTEXT_HINTS, bank_media, media_path_problem, scan_bank
from packager.model import Bank, Problem
from packager.model.walk import rich_fields
from packager.richtext import render
from tests.conftest import CONTENT

PNG = (CONTENT / "media" / "leads-chart.png").read_bytes()


def _bank() -> Bank:
    choices = [
        {"id": "a", "text": "fine", "correct": True},
        {"id": "b", "text": '<b onclick="x">bad</b>', "feedback": "![c](media/c.png)"},
        {"id": "c", "text": "![gone](media/gone.png) and $\\frac{$"},
    ]
    data: dict[str, Any] = {
        "format": "packager.question-bank/1",
        "id": "bank",
        "title": "Bank",
        "description": "![gone](media/gone.png)",
        "stimuli": [{"id": "s", "body": "<script>x</script>"}],
        "questions": [
            {"id": "q0", "type": "single_choice", "prompt": "plain", "choices": choices},
            {"id": "q1", "type": "text", "prompt": "only plain text"},
            {
                "id": "q2",
                "type": "ordering",
                "prompt": "Order",
                "items": ["first", "![c](media/c.png)", "/../x"],
            },
        ],
    }
    return Bank.model_validate(data)


def _reference(bank: Bank, base_dir: Path) -> list[Problem]:
    """Every field, in walk order: what scan_bank must report, however it gets there."""
    problems: list[Problem] = []
    for pointer, qid, text in rich_fields(bank):
        rendered = render(text)
        for kind, message in rendered.problems:
            problems.append(Problem(pointer, message, "E-RICHTEXT", RICHTEXT_HINTS[kind], qid))
        for href in rendered.media:
            found = media_path_problem(href, base_dir)
            if found is not None:
                problems.append(Problem(pointer, found[0], "E-MEDIA", found[1], qid))
    return problems


def test_problems_are_located_like_a_walk_over_every_field(tmp_path: Path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    bank = _bank()
    found = scan_bank(bank, tmp_path).problems
    assert found == _reference(bank, tmp_path)
    assert [(p.pointer, p.code) for p in found] == [
        ("/description", "E-MEDIA"),
        ("/stimuli/0/body", "E-RICHTEXT"),
        ("/questions/0/choices/1/text", "E-RICHTEXT"),
        ("/questions/0/choices/2/text", "E-RICHTEXT"),
        ("/questions/0/choices/2/text", "E-MEDIA"),
    ]


def test_media_in_first_use_order(tmp_path: Path):
    bank = _bank()
    assert [m.href for m in bank_media(bank, tmp_path)] == [
        str(PurePosixPath(h)) for h in ("media/gone.png", "media/c.png")
    ]


def test_the_scan_gives_what_separate_walks_give(tmp_path: Path):
    """scan_bank's per-question flags and media spare the capability scan and bank_media a
    walk each: they must be what those walks find on their own."""
    from packager.capabilities import _text_flags, bank_features
    from packager.richtext import MATH, MEDIA, RICH

    bank = _bank()
    scan = scan_bank(bank, tmp_path)
    assert scan.flags == {q.id: _text_flags(bank, q) for q in bank.questions}
    assert scan.flags["q0"] == RICH | MEDIA  # MATH: the broken formula is reported instead
    assert scan.flags["q1"] == 0
    assert scan.flags["q2"] & MEDIA and not scan.flags["q2"] & MATH
    assert scan.media == [m.href for m in bank_media(bank, tmp_path)]
    assert bank_features(bank, scan.flags) == bank_features(bank)


def test_loading_keeps_the_scan_for_every_target(load_bank: Any):
    from packager.capabilities import bank_features
    from packager.checks import bank_media

    for name in ("sample-all-types", "neon-broccoli"):
        loaded = load_bank(name)
        assert loaded.scan is not None
        assert loaded.features == bank_features(loaded.bank)
        assert loaded.media == bank_media(loaded.bank, loaded.base_dir)



def test_validate_finds_what_the_full_scan_finds_rendering_only_suspects(tmp_path: Path):
    """bank_problems_found (validate, import) skips texts that cannot fail: same problems,
    in the same order, and only the suspects rendered."""
    from packager.checks import bank_problems_found
    from packager.model.walk import bank_texts
    from packager.richtext_screening import may_have_problems

    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    bank = _bank()
    expected = scan_bank(bank, tmp_path).problems
    render.cache_clear()
    assert bank_problems_found(bank, tmp_path) == expected
    suspects = {t for t in bank_texts(bank) if may_have_problems(t)}
    assert 0 < len(suspects) < len(set(bank_texts(bank)))
    # Each question with a problem has all its texts rendered for the pointers (q0): the
    # plain text of q1 and q2's first item are never rendered.
    assert render.cache_info().currsize < len(set(bank_texts(bank)))
    assert render.cache_info().currsize >= len(suspects)


def test_validate_and_load_agree_on_the_sample_banks(load_bank: Any):
    from packager.pipeline import check

    for name in ("sample-all-types", "neon-broccoli"):
        loaded = load_bank(name)
        bank, diagnostics = check(loaded.source)
        assert bank == loaded.bank
        assert tuple(diagnostics) == loaded.diagnostics


def _blank_bank(prompt: str) -> Bank:
    return Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B",
        "questions": [{"id": "q", "type": "fill_in_blanks", "prompt": prompt,
                       "blanks": {"b1": ["x"], "b2": ["y"]}}],
    })


@pytest.mark.parametrize("prompt", [
    'Fill <span class="[[b1]]">in</span> [[b2]].',
    '<a href="https://x.example/[[b1]]">in</a> [[b2]].',
    "[in](https://x.example/[[b1]]) [[b2]].",
    "![[[b1]]](media/c.png) [[b2]].",
    "So $\\text{[[b1]]}$ and [[b2]].",
    "So $[[b1]]$ and [[b2]].",
    # The marker written with character references or escapes: a second one once rendered,
    # which the writers (they find blanks in the rendered text) took for the blank.
    "Fill [[b1]] ![&#91;&#91;b1&#93;&#93;](media/c.png) [[b2]].",
    'Fill [[b1]] <img src="media/c.png" alt="&#91;&#91;b1&#93;&#93;"> [[b2]].',
    "Fill [[b1]] and &#91;&#91;b1&#93;&#93; [[b2]].",
    "Fill [[b1]] and \\[\\[b1\\]\\] [[b2]].",
])
def test_a_blank_where_no_answer_box_can_go_is_an_error(prompt: str, tmp_path: Path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "c.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    from packager.checks import bank_problems_found

    for found in (scan_bank(_blank_bank(prompt), tmp_path).problems,
                  bank_problems_found(_blank_bank(prompt), tmp_path)):
        blanks = [p for p in found if p.code == "E-BLANKS"]
        assert [(p.pointer, p.is_error) for p in blanks] == [("/questions/0/prompt", True)]
        assert "[[b1]]" in blanks[0].message and "[[b2]]" not in blanks[0].message


def test_a_marker_that_only_rendering_makes_names_no_blank_and_is_an_error(tmp_path: Path):
    """`&#91;&#91;zz&#93;&#93;` renders as [[zz]], a blank with no answers: Moodle XML, QTI 1.2
    and QTI 2.1 stopped with a KeyError traceback."""
    found = scan_bank(_blank_bank("Fill [[b1]] [[b2]] and &#91;&#91;zz&#93;&#93;."), tmp_path)
    blanks = [p for p in found.problems if p.code == "E-BLANKS"]
    assert [(p.pointer, p.is_error) for p in blanks] == [("/questions/0/prompt", True)]
    assert "[[zz]]" in blanks[0].message and "[[b1]]" not in blanks[0].message


@pytest.mark.parametrize("prompt", [
    "Plain [[b1]] and [[b2]].",
    "*[[b1]]* in [a [[b2]] link](https://x.example)",
    "`[[b1]]` in code, [[b2]]",
    "| a | b |\n|---|---|\n| [[b1]] | [[b2]] |",
    "- [[b1]]\n- > [[b2]]",
])
def test_blanks_in_running_text_are_fine(prompt: str, tmp_path: Path):
    assert not [p for p in scan_bank(_blank_bank(prompt), tmp_path).problems]


def _twins_bank(first: str, second: str) -> Bank:
    return Bank.model_validate({
        "format": "packager.question-bank/1", "id": "twins", "title": "Twins",
        "questions": [
            {"id": "q1", "type": "text", "prompt": f"![one]({first})"},
            {"id": "q2", "type": "text", "prompt": f"![two]({second}) and ![one]({first})"},
        ],
    })


@pytest.mark.parametrize("second", ["media/Chart.png", "media/CHART.png"])
def test_two_media_files_one_on_windows_and_macos_are_an_error(tmp_path: Path, second: str):
    """Written on Linux, media/chart.png and media/Chart.png are two images; unpacked on
    Windows or macOS, one replaces the other. Both checks say so, at the second name's use."""
    from packager.checks import bank_problems_found

    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "chart.png").write_bytes(PNG)
    (tmp_path / "media" / second.split("/")[1]).write_bytes(PNG + b"other")
    bank = _twins_bank("media/chart.png", second)
    for found in (scan_bank(bank, tmp_path).problems, bank_problems_found(bank, tmp_path)):
        (problem,) = found
        assert (problem.code, problem.pointer, problem.question_id) == (
            "E-MEDIA", "/questions/1/prompt", "q2")
        assert problem.message == (
            f"media paths 'media/chart.png' and {second!r} are one file on Windows and macOS "
            "(letter case and the encoding of accents do not count there), and here two "
            "different files: unpacked there, one image would replace the other")
        assert problem.hint is not None and "rename one" in problem.hint


def test_one_file_written_two_ways_is_an_error_everywhere(tmp_path: Path):
    """A package would hold both names, which clash when unpacked on Windows or macOS. There
    one spelling is not the name on disk (the reference is misspelt); on Linux two links make
    both names real, and the verdict is the same (it passed, until portability review F3)."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "chart.png").write_bytes(PNG)
    (tmp_path / "media" / "Chart.png").hardlink_to(tmp_path / "media" / "chart.png")
    (problem,) = scan_bank(_twins_bank("media/chart.png", "media/Chart.png"), tmp_path).problems
    assert (problem.code, problem.pointer) == ("E-MEDIA", "/questions/1/prompt")
    assert "here two names of one file (links)" in problem.message
    assert problem.hint == "write 'media/chart.png' in every reference to it"
    (tmp_path / "media" / "Chart.png").unlink()  # as a folding file system holds them
    (problem,) = scan_bank(_twins_bank("media/chart.png", "media/Chart.png"), tmp_path).problems
    assert problem.message.startswith("media path 'media/Chart.png' differs from the file's name")


def _one_image(tmp_path: Path, name: str) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / name).write_bytes(PNG)


@pytest.mark.parametrize("href", ["media/Photo.PNG", "Media/photo.png", "MEDIA/PHOTO.PNG"])
def test_a_reference_in_another_letter_case_names_the_file_on_disk(tmp_path: Path, href: str):
    """Found on Windows and macOS, not on Linux or an LMS server: an error everywhere,
    naming the file as it is (this file system does not fold case: the file is not found,
    and the hint no longer just says that names are case-sensitive)."""
    _one_image(tmp_path, "photo.png")
    assert media_path_problem(href, tmp_path) == (
        f"media path {href!r} differs from the file's name on disk in letter case: Linux and "
        "LMS servers would find no file by it",
        "the file is named 'media/photo.png' on disk: write the name exactly as it is",
    )


NFC, NFD = "caf\u00e9.png", "cafe\u0301.png"


@pytest.mark.parametrize(("on_disk", "written", "advice"), [
    (NFD, NFC, "rename the file"),  # a file unpacked from a zip made on a Mac
    (NFC, NFD, "type the reference anew"),
])
def test_a_reference_whose_accents_are_encoded_otherwise_is_an_error(
    tmp_path: Path, on_disk: str, written: str, advice: str
):
    """The two names print alike: "does not exist (names are case-sensitive)" left the user
    nothing to go on. macOS finds either; Linux and Windows neither."""
    _one_image(tmp_path, on_disk)
    problem = media_path_problem(f"media/{written}", tmp_path)
    assert problem is not None
    assert "differs from the file's name on disk in how its accents are encoded" in problem[0]
    assert problem[1].startswith(f"the file is named {'media/' + on_disk!r} on disk")
    assert advice in problem[1]
    assert media_path_problem(f"media/{on_disk}", tmp_path) is None


def test_accents_encoded_otherwise_pass_where_the_system_found_the_file(tmp_path: Path):
    """macOS finds `café.png` by either encoding, and an HFS+ disk stores every name
    decomposed, whatever was typed: its user could write the reference no other way."""
    from packager.media_spelling import FolderNames, spelling_problem

    _one_image(tmp_path, NFD)
    found = spelling_problem(f"media/{NFC}", ("media", NFC), tmp_path, True, FolderNames())
    assert found is None
    upper = NFC.upper()  # letter case still counts
    assert spelling_problem(f"media/{upper}", ("media", upper), tmp_path, True,
                            FolderNames()) is not None


def test_letter_case_and_accents_together(tmp_path: Path):
    _one_image(tmp_path, NFD)
    problem = media_path_problem(f"media/{NFC.upper()}", tmp_path)
    assert problem is not None and "in letter case and how its accents are encoded" in problem[0]


@pytest.mark.parametrize("name", ["photo.png", "Photo.PNG", NFC, NFD, "Ünïcödé Chart.png"])
def test_a_reference_spelt_as_the_file_is_named_passes(tmp_path: Path, name: str):
    _one_image(tmp_path, name)
    assert media_path_problem(f"media/{name}", tmp_path) is None
    bank = _twins_bank(f"media/{name}", f"media/{name}")
    assert scan_bank(bank, tmp_path).problems == []


def test_the_verdict_does_not_depend_on_whether_the_file_system_found_the_file(tmp_path: Path):
    """Windows and macOS find `media/Photo.PNG` (is_file), Linux does not: one problem."""
    from packager.media_spelling import FolderNames, spelling_problem

    _one_image(tmp_path, "photo.png")
    parts = ("media", "Photo.PNG")
    found, not_found = (spelling_problem("media/Photo.PNG", parts, tmp_path, is_file,
                                         FolderNames()) for is_file in (True, False))
    assert found is not None and found == not_found == media_path_problem("media/Photo.PNG",
                                                                           tmp_path)


def test_a_file_found_by_a_name_its_folder_does_not_list_is_an_error(tmp_path: Path):
    """Windows finds `PHOTO~1.PNG` (its short name for `photograph.png`); no other system."""
    from packager.media_spelling import FolderNames, spelling_problem

    _one_image(tmp_path, "photograph.png")
    problem = spelling_problem("media/PHOTO~1.PNG", ("media", "PHOTO~1.PNG"), tmp_path, True,
                               FolderNames())
    assert problem is not None and "is not the name the file has on disk" in problem[0]
    assert spelling_problem("media/PHOTO~1.PNG", ("media", "PHOTO~1.PNG"), tmp_path, False,
                            FolderNames()) is None  # not found: "does not exist" says it


def test_several_names_differing_only_in_case_are_all_named(tmp_path: Path):
    _one_image(tmp_path, "photo.png")
    (tmp_path / "media" / "PHOTO.png").write_bytes(PNG)
    problem = media_path_problem("media/Photo.png", tmp_path)
    assert problem is not None
    assert problem[1] == ("the files are named 'media/PHOTO.png' and 'media/photo.png' on disk: "
                          "write the name of the one meant exactly as it is")


def test_a_missing_file_with_no_other_spelling_still_does_not_exist(tmp_path: Path):
    _one_image(tmp_path, "photo.png")
    problem = media_path_problem("media/chart.png", tmp_path)
    assert problem is not None and problem[0] == "media file 'media/chart.png' does not exist"
    assert media_path_problem("Media/chart.png", tmp_path) == (
        "media file 'Media/chart.png' does not exist",
        f"put the file at {tmp_path / 'Media' / 'chart.png'} or fix the path (names are "
        "case-sensitive)")


def test_each_folder_is_listed_once_per_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Banks refer to thousands of images in one folder: listing it for each would make the
    check quadratic."""
    import os

    from packager import media_spelling

    (tmp_path / "media").mkdir()
    names = [f"image-{n}.png" for n in range(50)]
    for name in names:
        (tmp_path / "media" / name).write_bytes(PNG)
    listed: list[str] = []
    real_listdir = os.listdir

    def listdir(path: Any) -> list[str]:
        listed.append(str(path))
        return real_listdir(path)

    monkeypatch.setattr(media_spelling.os, "listdir", listdir)
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "many", "title": "Many",
        "questions": [{"id": f"q{n}", "type": "text", "prompt": f"![x](media/{name})"}
                      for n, name in enumerate(names)],
    })
    assert scan_bank(bank, tmp_path).problems == []
    assert sorted(listed) == sorted([str(tmp_path), str(tmp_path / "media")])


def test_a_path_longer_than_the_system_allows_is_a_problem_not_a_traceback(
    tmp_path: Path,
) -> None:
    """2,100 short segments pass every check of a name; is_file() then raised ENAMETOOLONG."""
    href = "a/" * 2100 + "x.png"
    problem = media_path_problem(href, tmp_path)
    assert problem is not None
    assert problem[0] == f"media file {href!r} cannot be read: File name too long"
    assert "shorten" in problem[1]


def test_math_moved_out_of_its_place_is_located_with_a_hint_of_its_own(tmp_path: Path):
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "m", "title": "M",
        "questions": [{"id": "q", "type": "text", "prompt": (
            'Look: <math><mpadded voffset="150px"><mtext>NOTICE</mtext></mpadded></math>')}],
    })
    [problem] = scan_bank(bank, tmp_path).problems
    assert (problem.code, problem.pointer) == ("E-RICHTEXT", "/questions/0/prompt")
    assert "voffset='150px'" in problem.message
    assert problem.hint is not None and problem.hint.startswith("keep the space, shift or size")


def test_a_blank_whose_name_markdown_reads_as_emphasis_is_told_so(tmp_path: Path):
    """Fuzz run 31: `[[b-_c_]]` renders as `[[b-<em>c</em>]]`; the error blamed an attribute,
    a link, an image or math."""
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "b", "title": "B",
        "questions": [{"id": "q", "type": "fill_in_blanks", "prompt": "Fill [[b-_c_]] and [[b2]].",
                       "blanks": {"b-_c_": ["x"], "b2": ["y"]}}],
    })
    (problem,) = [p for p in scan_bank(bank, tmp_path).problems if p.code == "E-BLANKS"]
    assert problem.message.startswith("the rendered prompt does not show the blank [[b-_c_]]")
    assert "`-_x_` as emphasis" in problem.message


def test_a_windows_backslash_in_an_image_path_is_named_as_such(tmp_path: Path) -> None:
    """Portability review 32 (F14): `media\\_chart.png` lost its backslash to Markdown's
    escape and the error named `media_chart.png`, a file the author never wrote; the hint for
    `media\\chart.png` said to rename a file that was fine."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "_chart.png").write_bytes(PNG)
    (tmp_path / "media" / "chart.png").write_bytes(PNG)
    bank = Bank.model_validate({
        "format": "packager.question-bank/1", "id": "bank", "title": "Bank",
        "questions": [{"id": "q0", "type": "text", "prompt": "![a](media\\_chart.png)"},
                      {"id": "q1", "type": "text", "prompt": "![b](media\\chart.png)"},
                      {"id": "q2", "type": "text", "prompt": "![c](media_chart.png)"}],
    })
    eaten, kept, plain = scan_bank(bank, tmp_path).problems
    assert eaten.message == "media file 'media_chart.png' does not exist"
    assert eaten.hint == ("'media\\_chart.png' reads as 'media_chart.png': in Markdown '\\' "
                          "escapes the character after it; write '/' between folders "
                          "('media/_chart.png')")
    assert kept.hint == "write '/' between folders ('media/chart.png'): '\\' separates them " \
                        "on Windows only"
    assert plain.hint is not None and plain.hint.startswith("put the file at")
    # Review 33: a `\\` leading the path was made a `/`, an absolute path, in the hint.
    for prompt, said in (("![d](\\_b.png)", "a media path starts with no '\\'"),
                         ("![e](\\_media\\_x.png)", "write '/' between folders ('_media/_x.png')")):
        lead = bank.model_copy(update={"questions": [bank.questions[0].model_copy(
            update={"prompt": prompt})]})
        (found,) = scan_bank(lead, tmp_path).problems
        assert found.hint is not None and said in found.hint, found.hint


def test_a_path_too_long_for_windows_is_named_as_such_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Portability review 32 (F11): without long paths, Windows answers "no such file" for a
    path of 260 characters or more: the hint said to put the file where it was."""
    import packager.relpath as relpath

    deep = "a" * 120 + "/" + "b" * 120 + "/chart.png"
    monkeypatch.setattr(relpath, "ON_WINDOWS", True)
    found = media_path_problem(deep, tmp_path)
    assert found is not None and found[0] == f"media file {deep!r} does not exist"
    assert "unless long paths are enabled" in found[1]
    monkeypatch.setattr(relpath, "ON_WINDOWS", False)
    other = media_path_problem(deep, tmp_path)
    assert other is not None and other[1].startswith("put the file at")


def test_a_colon_after_the_first_character_is_a_drive_only_after_a_letter(tmp_path: Path) -> None:
    """Portability review 32: `a:b.png` was "absolute" (it is a name Windows cannot store);
    `1:b.png` too, which no system reads as a drive."""
    for name, said in (("C:/x.png", "is absolute"), ("a:b.png", "is absolute"),
                       ("1:b.png", "contains ':'")):
        found = media_path_problem(name, tmp_path)
        assert found is not None and said in found[0], (name, found)
