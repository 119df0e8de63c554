"""What a format cannot carry of a bank's scoring and quiz settings is in its report (and so
in the preview's "what each export format changes"): points other than 1 where a format has
none, an authored order where it has no shuffle setting, a share of the points per pair or
blank where it scores all or nothing, the pass mark and when feedback shows where it holds
questions only. Each was missing (review 29: the preview said "carried as authored")."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from lxml import etree

from packager.formats import TARGETS
from tests.conftest import CONTENT, make_ctx

NO_POINTS = {"gift", "aiken", "bbtext"}
NO_SHUFFLE_SETTING = {"gift", "aiken", "bbtext"}
QUESTIONS_ONLY = {"moodle", "gift", "aiken", "blackboard", "bbtext"}


def _report(load_bank: Any, name: str, target: str, **update: Any) -> tuple[Any, bytes]:
    """The report and bytes of exporting sample bank `name` changed by `update`, loaded as
    a bank file would be (its checks and rendering computed for the changed bank)."""
    from packager.pipeline import export, load_source
    from packager.readers.base import Source

    loaded = load_bank(name)
    data = loaded.bank.model_dump(mode="json", exclude_none=True)
    data["settings"] |= update.pop("settings", {})
    data |= update
    changed = load_source(Source(f"{name}.json", json.dumps(data).encode(), CONTENT))
    artifact = export(changed, target,
                      make_ctx(None, skip_unsupported=True, validate_output=False))
    return artifact.report, artifact.data


def _noted(report: Any, feature: str) -> dict[str | None, str]:
    """The kind of the report's note of `feature`, by question id (None: the bank's)."""
    notes = [*(n for q in report["questions"] for n in q["notes"]), *report["bank_notes"]]
    return {n["question_id"]: n["kind"] for n in notes if n["feature"] == feature}


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_default_of_other_than_one_point_is_noted_where_points_are_dropped(
        load_bank: Any, target: str) -> None:
    bank = load_bank("neon-broccoli").bank
    assert all(q.points is None for q in bank.questions)
    ids = {q.id for q in bank.questions}
    report, _ = _report(load_bank, "neon-broccoli", target, settings={"default_points": 5})
    assert set(_noted(report, "points")) == (ids if target in NO_POINTS else set())
    report, _ = _report(load_bank, "neon-broccoli", target, settings={"default_points": 1})
    assert _noted(report, "points") == {}


@pytest.mark.parametrize("target", list(TARGETS))
def test_an_authored_order_is_noted_where_there_is_no_shuffle_setting(
        load_bank: Any, target: str) -> None:
    ids = {q.id for q in load_bank("neon-broccoli").bank.questions}
    report, _ = _report(load_bank, "neon-broccoli", target, settings={"shuffle_choices": False})
    assert set(_noted(report, "fixed_order")) == (ids if target in NO_SHUFFLE_SETTING else set())
    report, _ = _report(load_bank, "neon-broccoli", target, settings={"shuffle_choices": True})
    assert _noted(report, "fixed_order") == {}


@pytest.mark.parametrize("target", list(TARGETS))
def test_a_share_per_pair_or_blank_is_noted_where_scored_all_or_nothing(
        load_bank: Any, target: str) -> None:
    report, _ = _report(load_bank, "sample-all-types", target)
    exported = {q["id"] for q in report["questions"] if q["status"] == "exported"}
    parts = {"match-drinks", "fill-recipe"} & exported
    assert set(_noted(report, "part_credit")) == (parts if target == "blackboard" else set())


@pytest.mark.parametrize("target", list(TARGETS))
def test_quiz_settings_are_noted_where_a_format_holds_questions_only(
        load_bank: Any, target: str) -> None:
    report, _ = _report(load_bank, "neon-broccoli", target,
                        settings={"passing_score": 0.5, "show_feedback": "never"})
    assert (None in _noted(report, "passing_score")) == (
        target in QUESTIONS_ONLY | {"qti12", "cc"})
    assert _noted(report, "feedback_hidden").get(None) == (
        "dropped" if target in QUESTIONS_ONLY else "changed" if target == "cc" else None)
    report, _ = _report(load_bank, "neon-broccoli", target,
                        settings={"passing_score": None, "show_feedback": "immediately"})
    assert _noted(report, "passing_score") == {}
    assert _noted(report, "feedback_immediate").get(None) == (
        "dropped" if target in QUESTIONS_ONLY | {"cc"} else "changed" if target == "qti12"
        else None)
    report, _ = _report(load_bank, "neon-broccoli", target,
                        settings={"show_feedback": "on_submit"})
    assert not _noted(report, "feedback_hidden") and not _noted(report, "feedback_immediate")


@pytest.mark.parametrize(("show", "permitted"), [("never", "No"), ("on_submit", "Yes")])
def test_a_cartridge_permits_feedback_unless_the_bank_hides_it(
        load_bank: Any, show: str, permitted: str) -> None:
    _, data = _report(load_bank, "neon-broccoli", "cc", settings={"show_feedback": show})
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        [name] = [n for n in package.namelist() if n.endswith(".qti.xml")]
        root = etree.fromstring(package.read(name))
    fields = {field.findtext("{*}fieldlabel"): field.findtext("{*}fieldentry")
              for field in root.iterfind("{*}assessment/{*}qtimetadata/{*}qtimetadatafield")}
    assert fields["qmd_feedbackpermitted"] == fields["qmd_solutionspermitted"] == permitted


# An audit of every format's "no note" against what it writes (review 29's audit) found these.
ORDERING = {"id": "steps", "type": "ordering", "prompt": "Order them.", "explanation": "So.",
            "items": ["one", "two", "three"],
            "feedback": {"correct": "Well done.", "incorrect": "Not quite."}}
ESSAY = {"id": "why", "type": "essay", "prompt": "Why?", "explanation": "Because.",
         "feedback": {"correct": "Good.", "incorrect": "Try again."}}
SHARED_MATCH = {"id": "pairs", "type": "matching", "prompt": "Match.", "explanation": "So.",
                "pairs": [{"prompt": "a", "match": "x"}, {"prompt": "b", "match": "y"},
                          {"prompt": "c", "match": "y"}]}
TRUE_FALSE = {"id": "tf", "type": "true_false", "prompt": "Ja?", "answer": True,
              "explanation": "So."}


@pytest.mark.parametrize("target", list(TARGETS))
def test_what_the_audit_found_unnoted_is_noted(load_bank: Any, target: str) -> None:
    seed = load_bank("neon-broccoli").bank.questions[0].model_dump(mode="json",
                                                                    exclude_none=True)
    report, _ = _report(load_bank, "neon-broccoli", target, language="de",
                        questions=[seed, ORDERING, ESSAY, SHARED_MATCH, TRUE_FALSE])
    feedback = _noted(report, "feedback")
    if target == "gift":  # ordering is written as matching, which has no such feedback
        assert feedback.get("steps") == "dropped"
    # The player shows no feedback of an essay, which it does not score.
    if target in {"scorm12", "scorm2004", "html"}:
        assert feedback.get("why") == "dropped"
    ordering = [n["message"] for q in report["questions"] if q["id"] == "steps"
                for n in q["notes"] if n["feature"] == "ordering"]
    if target in {"gift", "qti12"}:  # scored as matching: a share per item
        assert len(ordering) == 1 and "all or nothing" in ordering[0], ordering
    # A MAT line pairs each item with its own answer.
    assert (_noted(report, "matching").get("pairs") == "changed") == (target == "bbtext")
    # 'True' and 'False' in English in a German bank.
    assert (_noted(report, "true_false").get("tf") == "changed") == (
        target in {"qti12", "qti21", "qti30", "cc"})
