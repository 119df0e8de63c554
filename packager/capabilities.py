"""What a bank uses, what a target can express, and the fidelity notes where they differ.

Targets declare their losses (a mapping Feature → Loss); nothing is discovered inside writer
bodies. `fidelity()` is the one comparison, and its notes feed both the CLI's errors
(unsupported question types) and the per-export fidelity report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from packager.model import Bank, Question
from packager.model import questions as m
from packager.model.bank import sections_without
from packager.model.walk import question_texts
from packager.richtext import LIST_START, MATH, MEDIA, RICH, render


class Feature(StrEnum):
    # question types
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_RESPONSE = "multiple_response"
    TRUE_FALSE = "true_false"
    SHORT_ANSWER = "short_answer"
    NUMERIC = "numeric"
    ESSAY = "essay"
    MATCHING = "matching"
    ORDERING = "ordering"
    FILL_IN_BLANKS = "fill_in_blanks"
    TEXT = "text"
    # what a question carries
    TITLE = "title"
    SCENARIO = "scenario"  # inline scenario or shared stimulus
    SHARED_STIMULUS = "shared_stimulus"  # a stimulus that questions share
    EXPLANATION = "explanation"
    FEEDBACK = "feedback"  # feedback.correct / feedback.incorrect
    CHOICE_FEEDBACK = "choice_feedback"
    TRUE_FALSE_FEEDBACK = "true_false_feedback"
    PARTIAL_CREDIT = "partial_credit"
    SHUFFLE = "shuffle"
    FIXED_ORDER = "fixed_order"  # choices in their authored order, not shuffled
    PINNED_CHOICE = "pinned_choice"
    CASE_SENSITIVE = "case_sensitive"
    NUMERIC_TOLERANCE = "numeric_tolerance"
    NUMERIC_RANGE = "numeric_range"
    UNIT = "unit"
    DISTRACTORS = "distractors"
    PART_CREDIT = "part_credit"  # matching pairs, or two or more blanks: each right one earns its share
    RUBRIC = "rubric"
    SAMPLE_ANSWER = "sample_answer"
    RICH_TEXT = "rich_text"  # anything beyond one plain paragraph
    IMAGE = "image"
    MATH = "math"
    LIST_START = "list_start"  # a numbered list that starts at another number than 1
    TAGS = "tags"
    OBJECTIVES = "objectives"  # a question's learning objectives
    POINTS = "points"  # worth other than 1 point, what an importer gives a question without points
    # bank level
    SECTION_PICK = "section_pick"
    SECTION_TITLES = "section_titles"
    DESCRIPTION = "description"  # the bank's description
    AUTHORS = "authors"  # metadata.authors
    LICENSE = "license"  # metadata.license
    BANK_TAGS = "bank_tags"  # metadata.tags
    BANK_OBJECTIVES = "bank_objectives"  # metadata.objectives
    PASSING_SCORE = "passing_score"  # settings.passing_score
    FEEDBACK_HIDDEN = "feedback_hidden"  # settings.show_feedback "never"
    FEEDBACK_IMMEDIATE = "feedback_immediate"  # settings.show_feedback "immediately"


LossKind = Literal["unsupported", "dropped", "changed"]


@dataclass(frozen=True)
class Loss:
    kind: LossKind
    message: str


# What a target simply leaves out, said the same way by every target that does.
_NOT_CARRIED = {
    Feature.TAGS: "question tags are not carried",
    Feature.OBJECTIVES: "a question's learning objectives are not carried",
    Feature.SECTION_TITLES: "section titles are not carried",
    Feature.DESCRIPTION: "the bank's description is not carried",
    Feature.AUTHORS: "the bank's authors are not carried",
    Feature.LICENSE: "the bank's licence is not carried",
    Feature.BANK_TAGS: "the bank's tags are not carried",
    Feature.BANK_OBJECTIVES: "the bank's learning objectives are not carried",
}


def stimulus_copied(target: str) -> dict[Feature, Loss]:
    """The loss of a target with no shared stimulus, in the shared wording: it copies the
    stimulus into every question that uses it (an edit in the LMS then changes one copy)."""
    return {Feature.SHARED_STIMULUS: Loss(
        "changed", f"{target} has no shared stimulus: it is copied at the top of each question "
        "that uses it")}


def quiz_settings_not_carried(holder: str, setting_place: str) -> dict[Feature, Loss]:
    """The losses of a format of questions without quiz settings (`holder`: "Moodle XML";
    `setting_place`: where a teacher sets them, "the Moodle quiz")."""
    return {
        Feature.PASSING_SCORE: Loss(
            "dropped", f"{holder} holds questions, not quiz settings: set the pass mark on "
            f"{setting_place}"),
        Feature.FEEDBACK_HIDDEN: Loss(
            "dropped", f"{holder} holds questions, not quiz settings: learners see feedback and "
            f"the explanation as {setting_place} shows them; set it to hide them"),
        Feature.FEEDBACK_IMMEDIATE: Loss(
            "dropped", f"{holder} holds questions, not quiz settings: when learners see "
            f"feedback is set on {setting_place}"),
    }


def not_carried(*features: Feature) -> dict[Feature, Loss]:
    """Losses of `features` that a target leaves out, in the shared wording."""
    return {feature: Loss("dropped", _NOT_CARRIED[feature]) for feature in features}


# What a plain list of questions (Aiken, Blackboard's upload text) has no place for.
QUESTION_LIST_LOSSES = not_carried(
    Feature.OBJECTIVES,
    Feature.DESCRIPTION,
    Feature.SECTION_TITLES,
    Feature.AUTHORS,
    Feature.LICENSE,
    Feature.BANK_TAGS,
    Feature.BANK_OBJECTIVES,
)


@dataclass(frozen=True)
class FidelityNote:
    question_id: str | None
    feature: str
    kind: LossKind
    message: str

    def to_json(self) -> dict[str, Any]:
        return {
            "question_id": self.question_id,
            "feature": self.feature,
            "kind": self.kind,
            "message": self.message,
        }


_TYPE_FEATURES = {feature.value: feature for feature in Feature}


def question_features(bank: Bank, q: Question, text_flags: int | None = None) -> set[Feature]:
    """What a question uses; `text_flags` (from checks.BankScan) saves walking its texts."""
    # A dict lookup, not Feature(q.type): an Enum call costs more than the rest of this
    # function, which runs for every question of every export.
    found = {_TYPE_FEATURES[q.type]}
    if q.title:
        found.add(Feature.TITLE)
    if q.scenario or q.stimulus:
        found.add(Feature.SCENARIO)
    if q.stimulus:
        found.add(Feature.SHARED_STIMULUS)
    if q.tags:
        found.add(Feature.TAGS)
    if q.objectives:
        found.add(Feature.OBJECTIVES)
    if not isinstance(q, m.TextItem):
        if q.explanation:
            found.add(Feature.EXPLANATION)
        if q.feedback and (q.feedback.correct or q.feedback.incorrect):
            found.add(Feature.FEEDBACK)
        if bank.points_of(q) != 1:
            found.add(Feature.POINTS)
    if isinstance(q, m.SingleChoice | m.MultipleResponse):
        for choice in q.choices:  # not any() of a generator: this runs for every question
            if choice.feedback:
                found.add(Feature.CHOICE_FEEDBACK)
                break
        if bank.shuffles(q):
            found.add(Feature.SHUFFLE)
            if any(c.pinned for c in q.choices):
                found.add(Feature.PINNED_CHOICE)
        else:
            found.add(Feature.FIXED_ORDER)
        if isinstance(q, m.MultipleResponse) and q.scoring == "partial":
            found.add(Feature.PARTIAL_CREDIT)
    elif isinstance(q, m.TrueFalse):
        if q.feedback_true or q.feedback_false:
            found.add(Feature.TRUE_FALSE_FEEDBACK)
    elif isinstance(q, m.ShortAnswer):
        if any(a.case_sensitive for a in q.answers):
            found.add(Feature.CASE_SENSITIVE)
    elif isinstance(q, m.FillInBlanks):
        if q.case_sensitive:
            found.add(Feature.CASE_SENSITIVE)
        if len(q.blanks) > 1:
            found.add(Feature.PART_CREDIT)
    elif isinstance(q, m.Numeric):
        if isinstance(q.answer, m.RangeAnswer):
            found.add(Feature.NUMERIC_RANGE)
        elif q.answer.tolerance:
            found.add(Feature.NUMERIC_TOLERANCE)
        if q.unit:
            found.add(Feature.UNIT)
    elif isinstance(q, m.Matching):
        found.add(Feature.PART_CREDIT)
        if q.distractors:
            found.add(Feature.DISTRACTORS)
    elif isinstance(q, m.Essay):
        if q.rubric:
            found.add(Feature.RUBRIC)
        if q.sample_answer:
            found.add(Feature.SAMPLE_ANSWER)
    flags = text_flags if text_flags is not None else _text_flags(bank, q)
    if flags:
        if flags & RICH:
            found.add(Feature.RICH_TEXT)
        if flags & MEDIA:
            found.add(Feature.IMAGE)
        if flags & MATH:
            found.add(Feature.MATH)
        if flags & LIST_START:
            found.add(Feature.LIST_START)
    return found


def _text_flags(bank: Bank, q: Question) -> int:
    # Plain texts (nearly all of a large bank) carry flags 0; each text's flags are computed
    # once, when first needed, and cached with its rendering.
    flags = 0
    for text in question_texts(q):
        flags |= render(text).flags
    if q.stimulus:
        flags |= render(bank.stimulus_by_id[q.stimulus].body).flags
    return flags


def bank_features(
    bank: Bank, text_flags: Mapping[str, int] | None = None
) -> dict[str, set[Feature]]:
    """Features of every question, by id: computed once per bank, shared by every target.
    `text_flags` are checks.BankScan.flags, when the bank was scanned."""
    if text_flags is None:
        return {q.id: question_features(bank, q) for q in bank.questions}
    return {q.id: question_features(bank, q, text_flags[q.id]) for q in bank.questions}


def fidelity(
    bank: Bank,
    losses: Mapping[Feature, Loss],
    features: Mapping[str, set[Feature]] | None = None,
) -> list[FidelityNote]:
    """Every loss a target declares that this bank actually hits, per question."""
    notes: list[FidelityNote] = []
    if not losses:
        return notes
    features_by_id: Mapping[str, set[Feature]] = (
        features if features is not None else bank_features(bank)
    )
    used_by_bank = {
        Feature.SECTION_PICK: any(s.pick for s in bank.sections or []),
        Feature.SECTION_TITLES: bool(bank.sections),
        Feature.DESCRIPTION: bool(bank.description),
        Feature.AUTHORS: bool(bank.metadata.authors),
        Feature.LICENSE: bool(bank.metadata.license),
        Feature.BANK_TAGS: bool(bank.metadata.tags),
        Feature.BANK_OBJECTIVES: bool(bank.metadata.objectives),
        Feature.PASSING_SCORE: bank.settings.passing_score is not None,
        Feature.FEEDBACK_HIDDEN: bank.settings.show_feedback == "never",
        Feature.FEEDBACK_IMMEDIATE: bank.settings.show_feedback == "immediately",
    }
    for feature, hit in used_by_bank.items():
        if hit and feature in losses:
            loss = losses[feature]
            notes.append(FidelityNote(None, feature.value, loss.kind, loss.message))
    # By the type's name: an Enum lookup, Feature(q.type), per question and target is slow.
    type_losses = {feature.value: loss for feature, loss in losses.items()}
    for q in bank.questions:
        type_loss = type_losses.get(q.type)
        if type_loss is not None and type_loss.kind == "unsupported":
            notes.append(FidelityNote(q.id, q.type, "unsupported", type_loss.message))
            continue
        # Only the features the target loses, in the order of their names (a StrEnum sorts
        # by its values): most questions of a bank hit none, and this runs for each.
        for feature in sorted(features_by_id[q.id] & losses.keys()):
            found = losses[feature]
            notes.append(FidelityNote(q.id, feature.value, found.kind, found.message))
    return notes


def english_true_false(bank: Bank, labels: tuple[str, str] = ("True", "False")) -> list[FidelityNote]:
    """The note of a format that labels true/false choices in English whatever the bank's
    language (QTI's, Canvas's, the cartridge's): one per true/false question of a bank in
    another language."""
    if bank.language.lower().startswith("en"):
        return []
    said = f"the two choices are labelled '{labels[0]}' and '{labels[1]}' in English"
    return [FidelityNote(q.id, Feature.TRUE_FALSE.value, "changed", said)
            for q in bank.questions if isinstance(q, m.TrueFalse)]


def unsupported_ids(notes: Iterable[FidelityNote]) -> list[str]:
    return [n.question_id for n in notes if n.kind == "unsupported" and n.question_id]


def without_questions(bank: Bank, drop: set[str]) -> Bank:
    """The bank minus some questions (and their section entries); stays a valid Bank."""
    if not drop:
        return bank
    data = bank.model_dump(mode="python", exclude_none=True)
    data["questions"] = [q for q in data["questions"] if q["id"] not in drop]
    if data.get("sections"):
        data["sections"] = sections_without(data["sections"], drop)
    return Bank.model_validate(data)


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def ordering_as_matching_loss(lacks: str) -> dict[Feature, Loss]:
    """The loss of a target whose ordering questions ordering_as_matching writes, in the
    shared wording (`lacks`: why, "GIFT has no ordering question"): matching is scored per
    pair where it imports."""
    return {Feature.ORDERING: Loss(
        "changed", f"{lacks}: it becomes a matching question whose items are matched to their "
        "positions (1st, 2nd, …), and is scored as one: each item in its right place earns its "
        "share of the points, where an ordering question gives all or nothing")}


def ordering_as_matching(bank: Bank) -> Bank:
    """The bank with every ordering question made a matching question: each item is matched
    to its position (1st, 2nd …), as Canvas users build ordering questions. The items are
    listed in an order derived from the question's id, never the answer's own order."""
    import hashlib

    if not any(isinstance(q, m.Ordering) for q in bank.questions):
        return bank
    questions: list[Question] = []
    for q in bank.questions:
        if not isinstance(q, m.Ordering):
            questions.append(q)
            continue
        key = [hashlib.sha256(f"{q.id}\0{i}".encode()).digest() for i in range(len(q.items))]
        shown = sorted(range(len(q.items)), key=key.__getitem__)
        if shown == sorted(shown):  # listed in the answer's order: move the first item last
            shown = shown[1:] + shown[:1]
        data = q.model_dump(mode="python", exclude_none=True)
        del data["items"]
        data["type"] = "matching"
        data["pairs"] = [{"prompt": q.items[i], "match": ordinal(i + 1)} for i in shown]
        questions.append(m.Matching.model_validate(data))
    return bank.model_copy(update={"questions": questions})
