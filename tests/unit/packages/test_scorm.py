"""SCORM 1.2 / 2004 targets: manifests, package contents, player data, suspend-data budget."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from lxml import etree

from packager import xsd
from packager.checks import MediaFile
from packager.model import Bank
from packager.packages import player, scorm12, scorm2004
from packager.packages.base import Job
from packager.xml.ns import IMSCP11, SCORM12_ADLCP, SCORM12_CP, SCORM2004_ADLCP, SCORM2004_IMSSS
from tests.conftest import ROOT, make_ctx, xsd_dir
from tests.player_data import quiz_data

MODULES = {"scorm12": scorm12, "scorm2004": scorm2004}


def _job(loaded: Any, bank: Bank | None = None) -> Job:
    from packager.checks import bank_media

    bank = bank or loaded.bank
    return Job(bank, bank_media(bank, loaded.base_dir), make_ctx())


def _with_settings(bank: Bank, **settings: Any) -> Bank:
    data = bank.model_dump(mode="python", exclude_none=True)
    data["settings"].update(settings)
    if settings.get("passing_score", 0) is None:
        del data["settings"]["passing_score"]
    return Bank.model_validate(data)


def _manifest(output: Any) -> etree._Element:
    return etree.fromstring(output.parts["imsmanifest.xml"].data)


@pytest.mark.parametrize("target", MODULES)
@pytest.mark.parametrize("bank", ["sample-all-types", "neon-broccoli"])
def test_one_sco_lists_every_file_with_ascii_lower_case_names(load_bank, target, bank) -> None:
    output = MODULES[target].build(_job(load_bank(bank)))
    root = _manifest(output)
    cp = SCORM12_CP if target == "scorm12" else IMSCP11
    resources = root.findall(f"{{{cp}}}resources/{{{cp}}}resource")
    assert len(resources) == 1
    resource = resources[0]
    assert resource.get("href") == "index.html"
    if target == "scorm12":
        assert resource.get(f"{{{SCORM12_ADLCP}}}scormtype") == "sco"
    else:
        assert resource.get(f"{{{SCORM2004_ADLCP}}}scormType") == "sco"
    listed = [f.get("href") for f in resource.findall(f"{{{cp}}}file")]
    assert listed == sorted(p for p in output.parts if p != "imsmanifest.xml")
    for name in output.parts:
        assert name.isascii() and name == name.lower() and " " not in name, name
    items = root.findall(f".//{{{cp}}}item")
    assert len(items) == 1 and items[0].get("identifierref") == resource.get("identifier")


@pytest.mark.parametrize("target", MODULES)
def test_schemaversion(load_bank, target) -> None:
    root = _manifest(MODULES[target].build(_job(load_bank("neon-broccoli"))))
    cp = SCORM12_CP if target == "scorm12" else IMSCP11
    assert root.findtext(f"{{{cp}}}metadata/{{{cp}}}schema") == "ADL SCORM"
    expected = "1.2" if target == "scorm12" else "2004 4th Edition"
    assert root.findtext(f"{{{cp}}}metadata/{{{cp}}}schemaversion") == expected


def test_scorm12_manifest_has_no_inline_lom(load_bank) -> None:
    data = scorm12.build(_job(load_bank("sample-all-types"))).parts["imsmanifest.xml"].data
    assert b"lom" not in data.replace(b"imsmd_rootv1p2p1", b"")


@pytest.mark.parametrize(
    ("passing", "mastery", "measure"),
    [
        (0.6, "60", "0.6"),
        (1.0, "100", "1"),
        (0.755, "75.5", "0.755"),
        (None, None, None),
    ],
)
def test_manifest_threshold_matches_the_passing_score(
    load_bank, xsd_path, passing, mastery, measure
) -> None:
    loaded = load_bank("sample-all-types")
    bank = _with_settings(loaded.bank, passing_score=passing)
    out12 = scorm12.build(_job(loaded, bank))
    root12 = _manifest(out12)
    assert root12.findtext(f".//{{{SCORM12_ADLCP}}}masteryscore") == mastery
    out2004 = scorm2004.build(_job(loaded, bank))
    root2004 = _manifest(out2004)
    primary = root2004.find(f".//{{{SCORM2004_IMSSS}}}primaryObjective")
    if measure is None:
        assert primary is None
    else:
        assert primary.get("satisfiedByMeasure") == "true"
        assert primary.findtext(f"{{{SCORM2004_IMSSS}}}minNormalizedMeasure") == measure
    delivery = root2004.find(f".//{{{SCORM2004_IMSSS}}}deliveryControls")
    assert delivery.get("completionSetByContent") == "true"
    assert delivery.get("objectiveSetByContent") == "true"
    for key, output in (("scorm12", out12), ("scorm2004", out2004)):
        part = output.parts["imsmanifest.xml"]
        assert part.schema == key
        assert xsd.validate_bytes(key, part.data, "imsmanifest.xml", xsd_path) == []
    data = quiz_data(bank, "1.2", {})
    assert data["passing_score"] == passing


_EXTERNAL = re.compile(
    rb"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import"""
)


@pytest.mark.parametrize("target", MODULES)
def test_no_external_urls(load_bank, target) -> None:
    output = MODULES[target].build(_job(load_bank("sample-all-types")))
    for name, part in output.parts.items():
        if name.endswith((".html", ".js", ".css")):
            assert not _EXTERNAL.search(part.data), name
            assert b"fetch(" not in part.data and b"XMLHttpRequest" not in part.data, name


def test_index_html_loads_every_script_and_the_stylesheet() -> None:
    html = player.asset_bytes("index.html").decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts == ["quiz-data.js", "quiz.js", "lms.js", "player.js"]
    assert '<link rel="stylesheet" href="style.css">' in html
    assert set(player.ASSETS) | {player.DATA_FILE} == {*scripts, "style.css", "index.html"}


def test_media_names_are_ascii_lower_case_and_unique(tmp_path: Path) -> None:
    media = [
        MediaFile("media/Café Chart.PNG", tmp_path / "a"),
        MediaFile("media/cafe chart.png", tmp_path / "b"),
        MediaFile("images/Über/x.png", tmp_path / "c"),
        MediaFile("media/leads-chart.png", tmp_path / "d"),
    ]
    paths = player.package_media_paths(media)
    assert paths["media/leads-chart.png"] == "media/leads-chart.png"
    assert paths["images/Über/x.png"] == "media/images/uber/x.png"
    assert {paths["media/Café Chart.PNG"], paths["media/cafe chart.png"]} >= {
        "media/cafe-chart.png"
    }
    assert len(set(paths.values())) == len(media)
    for path in paths.values():
        assert re.fullmatch(r"media/[a-z0-9._/-]+", path), path


def test_media_names_folded_to_a_device_name_are_not_one(tmp_path: Path) -> None:
    """`cön.png` is no device name, but its ASCII fold `con.png` is: the zip writer refused
    it as "a packager bug" (portability review F1)."""
    from packager.relpath import is_device_name

    media = [
        MediaFile("media/cön.png", tmp_path / "a"),
        MediaFile("media/Äux/x.png", tmp_path / "b"),
        MediaFile("media/con€.png", tmp_path / "c"),
        MediaFile("media/_con.png", tmp_path / "d"),  # the name the first one would take
    ]
    paths = player.package_media_paths(media)
    assert paths["media/_con.png"] == "media/_con.png"  # first in href order
    assert re.fullmatch(r"media/_con-[0-9a-f]+\.png", paths["media/cön.png"])
    assert player.package_media_paths(media[:1]) == {"media/cön.png": "media/_con.png"}
    assert paths["media/Äux/x.png"] == "media/_aux/x.png"
    assert len(set(paths.values())) == len(media)
    for path in paths.values():
        assert not any(map(is_device_name, path.split("/"))), path
    assert player.package_media_paths(list(reversed(media))) == paths  # whatever the order


def test_a_name_of_no_ascii_letters_keeps_its_extension(tmp_path: Path) -> None:
    """Portability review 32 (F4): `図.png` folded, extension and all, to `media/png`, a file
    of no extension: Explorer and Finder open it with no image viewer, and a server that
    types files by extension (Moodle's core_filetypes) serves it as no image."""
    media = [MediaFile(f"media/{name}", tmp_path / name) for name in ("図.png", "表.PNG", "😀.jpeg")]
    paths = player.package_media_paths(media)
    assert [PurePosixPath(paths[m.href]).suffix for m in media] == [".png", ".png", ".jpeg"]
    assert all(re.fullmatch(r"media/file-[0-9a-f]{6}\.[a-z]+", p) for p in paths.values())
    assert len(set(paths.values())) == 3
    assert paths == player.package_media_paths(list(reversed(media)))


def test_image_sources_point_into_the_package(load_bank) -> None:
    loaded = load_bank("sample-all-types")
    job = _job(loaded)
    files = player.player_files(job, "2004")
    assert "media/leads-chart.png" in files
    data = files["quiz-data.js"].joined().decode()  # type: ignore[union-attr]
    assert 'src=\\"media/leads-chart.png\\"' in data
    mapping = {"media/leads-chart.png": "media/renamed.png"}
    renamed = quiz_data(job.bank, "2004", mapping)
    assert 'src="media/renamed.png"' in json.dumps(
        [renamed["questions"], renamed["stimuli"]], ensure_ascii=False
    ).replace('\\"', '"')


def test_a_shared_stimulus_is_in_the_player_data_once(load_bank) -> None:
    """Three questions show the sample's scenario: its HTML was copied into each of them
    (a long case study shared by twenty questions made the data twenty times its size)."""
    bank = load_bank("sample-all-types").bank
    users = [q.id for q in bank.questions if q.stimulus == "cafe-scenario"]
    script = b"".join(player.quiz_data_pieces(bank, "1.2", {})).decode()
    assert len(users) == 3 and script.count("José Núñez runs") == 1
    assert list(quiz_data(bank, "1.2", {})["stimuli"]) == ["cafe-scenario"]


def test_player_data_shapes(load_bank) -> None:
    bank = load_bank("sample-all-types").bank
    data = quiz_data(bank, "1.2", {})
    q = {x["id"]: x for x in data["questions"]}
    assert (
        data["scorm"] == "1.2" and data["language"] == "en" and data["show_feedback"] == "on_submit"
    )
    assert [s["id"] for s in data["sections"]] == ["warm-up", "numbers-and-words"]
    assert q["best-month"]["stimulus"] == "cafe-scenario"
    assert data["stimuli"]["cafe-scenario"]["title"] == "Café Lumière’s first quarter"
    assert "<table>" in data["stimuli"]["cafe-scenario"]["html"]
    assert q["conversion-rate"]["value"] == 13.25 and q["conversion-rate"]["tolerance"] == 0.05
    assert q["price-range"]["min"] == 2.5 and q["price-range"]["max"] == 3.5
    assert "MathML" in q["conversion-rate"]["prompt"]
    assert q["match-drinks"]["options"] == [
        "Steamed milk and foam",
        "Hot water",
        "Ice cream",
        "Orange juice",
    ]
    assert [p["match"] for p in q["match-drinks"]["pairs"]] == [0, 1, 2]
    assert [b["id"] for b in q["fill-recipe"]["blanks"]] == ["milk", "size"]
    assert "[[milk]]" in q["fill-recipe"]["prompt"]
    assert q["code-output"]["shuffle"] is True and q["best-month"]["shuffle"] is False
    assert q["espresso-origin"]["prompt_text"] == "The word espresso comes from Italian."
    assert q["welcome"]["points"] == 0
    other = quiz_data(_with_settings(bank, show_feedback="never"), "1.2", {})
    assert other["fingerprint"] != data["fingerprint"]


def _hundred_question_bank() -> Bank:
    sample = json.loads((ROOT / "content" / "sample-all-types.json").read_text(encoding="utf-8"))
    kinds = [q for q in sample["questions"] if q["type"] != "text"]
    questions = []
    for i in range(100):
        q = json.loads(json.dumps(kinds[i % len(kinds)]))
        q["id"] = f"generated-question-{i:03d}"
        q.pop("stimulus", None)
        questions.append(q)
    return Bank.model_validate(
        {
            "format": "packager.question-bank/1",
            "id": "hundred",
            "title": "One hundred questions",
            "settings": {"passing_score": 0.5},
            "questions": questions,
        }
    )


# Loads quiz-data.js and quiz.js the way the browser does, answers every question the way a
# diligent learner would (long typed answers included) and prints the suspend data's length.
_NODE = r"""
const fs = require("fs"), vm = require("vm");
const sandbox = { window: {}, self: {} };
vm.createContext(sandbox);
vm.runInContext(fs.readFileSync(process.argv[2], "utf8"), sandbox);
const Q = require(process.argv[3]);
const data = sandbox.window.PACKAGER_QUIZ;
const plan = Q.plan(data, 4294967295);
const typed = "an answer a learner might type";
const answer = (q) => ({
  single_choice: q.choices ? q.choices.length - 1 : 0, multiple_response: q.choices ? q.choices.map((_, i) => i) : [],
  true_false: false, short_answer: typed, numeric: "-13.2500001", essay: "A thoughtful essay. ".repeat(30),
  matching: q.pairs ? q.pairs.map((_, i) => q.options.length - 1 - i) : [],
  ordering: q.items ? q.items.map((_, i) => q.items.length - 1 - i) : [],
  fill_in_blanks: q.blanks ? q.blanks.map(() => typed) : [],
})[q.type];
const state = { fingerprint: data.fingerprint, seed: 4294967295, position: 99, done: true,
  entries: plan.order.map((qi) => ({ response: answer(data.questions[qi]), checked: true, ms: 3599000 })) };
const text12 = Q.encodeSuspend(data, plan, state, Q.LIMIT_12);
const text2004 = Q.encodeSuspend(data, plan, state, Q.LIMIT_2004);
const back = Q.decodeSuspend(data, text2004);
const same = JSON.stringify(back.entries.map((e) => e.response)) === JSON.stringify(state.entries.map((e) => e.response));
const restored12 = Q.decodeSuspend(data, text12) !== null;
console.log(JSON.stringify({ len12: text12.length, len2004: text2004.length, same, restored12 }));
"""


def test_suspend_data_of_a_100_question_bank_fits_scorm12(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: apt-get install nodejs (.ci/run does it)")
    bank = _hundred_question_bank()
    data_file = tmp_path / "quiz-data.js"
    data_file.write_bytes(b"".join(player.quiz_data_pieces(bank, "1.2", {})))
    script = tmp_path / "measure.js"
    script.write_text(_NODE)
    quiz_js = str(player.ASSETS_DIR / "quiz.js")
    run = subprocess.run(
        [node, str(script), str(data_file), quiz_js],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(run.stdout)
    assert result["restored12"]
    assert result["same"]
    assert result["len12"] <= 4096
    assert result["len2004"] < 64000
    # 100 answered questions, essays of 600 characters included: the 1.2 budget is met by
    # shortening the stored copy of the longest texts only.
    assert result["len2004"] > 4096


def test_suspend_data_of_a_100_question_bank_without_essays_is_not_shortened(
    tmp_path: Path,
) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: apt-get install nodejs (.ci/run does it)")
    bank = _hundred_question_bank()
    data = bank.model_dump(mode="python", exclude_none=True)
    data["questions"] = [q for q in data["questions"] if q["type"] != "essay"]
    data["questions"] = [json.loads(json.dumps(q)) for q in (data["questions"] * 2)[:100]]
    for i, q in enumerate(data["questions"]):
        q["id"] = f"q-{i:03d}"
    bank = Bank.model_validate(data)
    data_file = tmp_path / "quiz-data.js"
    data_file.write_bytes(b"".join(player.quiz_data_pieces(bank, "1.2", {})))
    script = tmp_path / "measure.js"
    script.write_text(_NODE)
    run = subprocess.run(
        [node, str(script), str(data_file), str(player.ASSETS_DIR / "quiz.js")],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result = json.loads(run.stdout)
    assert result["len12"] == result["len2004"] < 4096


@pytest.mark.parametrize("target", MODULES)
def test_package_is_small(load_bank, target) -> None:
    from packager.pipeline import export

    artifact = export(load_bank("sample-all-types"), target, make_ctx(None))
    assert len(artifact.data) < 60_000


@pytest.mark.parametrize("bank_name", ["neon-broccoli", "sample-all-types"])
def test_streamed_quiz_data_is_one_question_a_line_and_fingerprinted_whole(
    load_bank, bank_name: str
) -> None:
    """quiz_data_pieces builds the script a question at a time: each question is one line of
    it, and the fingerprint must still be the digest of the whole data."""
    import hashlib
    import json

    bank = load_bank(bank_name).bank
    mapping = {"media/chart.png": "media/chart.png"}
    data = quiz_data(bank, "2004", mapping)
    script = b"".join(player.quiz_data_pieces(bank, "2004", mapping)).decode()
    lines = script.split("\n")[1:-2]  # the comment line, then the head; "]};" and "" after
    assert [json.loads(line.removesuffix(",")) for line in lines[1:]] == data["questions"]
    whole = {k: v for k, v in data.items() if k != "fingerprint"}
    compact = json.dumps(whole, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    compact = compact.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    assert data["fingerprint"] == hashlib.blake2b(
        compact.encode(), digest_size=4
    ).hexdigest()


def test_quiz_data_shared_by_the_player_targets_is_built_once_and_alike(
    load_bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While sharing, the question lines of a bank are built and hashed once for every
    target that carries the player, each target's script is what it is alone, and another
    bank or another media mapping is never served the kept lines. Outside it nothing is
    kept."""
    import hashlib

    from packager.model import questions as m

    built: list[str] = []
    question = player._question

    def counted(bank: Bank, q: m.Question, r: Any) -> dict[str, Any]:
        built.append(q.id)
        return question(bank, q, r)

    monkeypatch.setattr(player, "_question", counted)
    hashed: list[bytes] = []  # what each digest of the lines started with

    class Hashlib:
        @staticmethod
        def blake2b(data: bytes, digest_size: int) -> Any:
            hashed.append(data)
            return hashlib.blake2b(data, digest_size=digest_size)

    monkeypatch.setattr(player, "hashlib", Hashlib)
    bank = load_bank("sample-all-types").bank
    other = load_bank("neon-broccoli").bank
    mapping = {"media/leads-chart.png": "media/leads-chart.png"}
    alone = {scorm: player.quiz_data_pieces(bank, scorm, mapping) for scorm in ("1.2", "2004")}
    assert len(built) == 2 * len(bank.questions)
    built.clear()
    with player.sharing():
        hashed.clear()
        shared = {s: player.quiz_data_pieces(bank, s, mapping) for s in ("1.2", "2004")}
        assert len(built) == len(bank.questions)
        assert len(hashed) == 1  # the lines hashed once: the heads differ after them
        assert player.quiz_data_pieces(other, None, mapping) == player.quiz_data_pieces(
            other, None, mapping
        )
        assert len(built) == len(bank.questions) + len(other.questions)
        moved = player.quiz_data_pieces(bank, "1.2", {"media/leads-chart.png": "media/moved.png"})
        assert b"media/moved.png" in b"".join(moved)
        assert len(built) == 2 * len(bank.questions) + len(other.questions)
    assert shared == alone
    assert alone["1.2"] != alone["2004"]
    assert player._SHARED is None


def test_a_long_version_and_title_fit_the_scorm12_manifest(load_bank) -> None:
    """The 1.2 XSDs allow a version of 20 characters and a title of 200: a valid bank with
    longer ones failed its own export ('a packager bug')."""
    bank = load_bank("neon-broccoli").bank.model_copy(
        update={"version": "1.0.0-beta.1234567890", "title": "T" * 250})
    root = _manifest(scorm12.build(_job(load_bank("neon-broccoli"), bank)))
    assert root.get("version") is None
    titles = [t.text for t in root.iter(f"{{{SCORM12_CP}}}title")]
    assert titles == ["T" * 199 + "…"] * 2
    assert xsd.validate_bytes("scorm12", etree.tostring(root), "imsmanifest.xml",
                              xsd_dir()) == []
    notes = {(n.feature, n.kind) for n in scorm12.extra_fidelity(bank)}
    assert notes == {("version", "dropped"), ("title", "changed")}
