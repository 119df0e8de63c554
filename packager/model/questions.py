"""Question types: a discriminated union on `type`, one class per canonical type."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from packager.model.invariants import BLANK_MARKER
from packager.model.types import Number, PlainText, Points, RichText, Slug, Strict, Tolerance


class Feedback(Strict):
    """Feedback shown after the learner answers, beside the explanation."""

    correct: RichText | None = Field(
        default=None, description="Shown when the answer earns full credit."
    )
    incorrect: RichText | None = Field(
        default=None, description="Shown when the answer does not earn full credit."
    )


# The feedback of a question that has none, for writers that read its two fields: one
# (models are frozen) rather than a model validated for every question of every export.
NO_FEEDBACK = Feedback()


class _QuestionBase(Strict):
    id: Slug = Field(
        description="Question id, unique in the bank; exports derive their ids from it."
    )
    title: PlainText | None = Field(default=None, description="Optional short plain-text title.")
    stimulus: Slug | None = Field(
        default=None, description="Id of a shared scenario in the bank's `stimuli`."
    )
    scenario: RichText | None = Field(
        default=None, description="Inline scenario shown above the prompt."
    )
    prompt: RichText = Field(description="The question itself.")
    tags: list[PlainText] = Field(default_factory=list, description="Free-form tags.")
    objectives: list[PlainText] = Field(
        default_factory=list, description="Learning objectives this question assesses."
    )


class _ScoredBase(_QuestionBase):
    explanation: RichText | None = Field(
        default=None,
        description="The rationale every learner sees after answering, whatever they answered.",
    )
    feedback: Feedback | None = Field(
        default=None, description="Feedback for correct and incorrect answers."
    )
    points: Points | None = Field(
        default=None,
        description=(
            "Points this question is worth (above 0, at most 1e6); defaults to "
            "settings.default_points."
        ),
    )


class Choice(Strict):
    id: Slug = Field(description="Choice id, unique within the question.")
    text: RichText = Field(description="The option shown to the learner.")
    correct: bool = Field(default=False, description="Whether this option is (one of) the key.")
    feedback: RichText | None = Field(
        default=None, description="Feedback shown to a learner who picked this option."
    )
    pinned: bool = Field(
        default=False,
        description="Keep this option in place when choices are shuffled (e.g. 'None of the above').",
    )


MAX_CHOICES = 26  # a choice's letter, A to Z

Choices = Annotated[
    list[Choice],
    Field(
        min_length=2,
        max_length=MAX_CHOICES,
        description="The options, 2 to 26, in authored order.",
    ),
]


class SingleChoice(_ScoredBase):
    """One correct option among several."""

    type: Literal["single_choice"] = Field(description="Question type.")
    choices: Choices
    shuffle: bool | None = Field(
        default=None, description="Shuffle the options; overrides settings.shuffle_choices."
    )


class MultipleResponse(_ScoredBase):
    """One or more correct options; the learner picks every one."""

    type: Literal["multiple_response"] = Field(description="Question type.")
    choices: Choices
    shuffle: bool | None = Field(
        default=None, description="Shuffle the options; overrides settings.shuffle_choices."
    )
    scoring: Literal["all_or_nothing", "partial"] = Field(
        default="all_or_nothing",
        description=(
            "all_or_nothing: full points only for exactly the correct set; partial: each correct "
            "pick earns points/#correct, each wrong pick loses the same, never below zero."
        ),
    )


class TrueFalse(_ScoredBase):
    type: Literal["true_false"] = Field(description="Question type.")
    answer: bool = Field(description="The correct answer.")
    feedback_true: RichText | None = Field(
        default=None, description="Feedback for a learner who answered True."
    )
    feedback_false: RichText | None = Field(
        default=None, description="Feedback for a learner who answered False."
    )


# Several formats list every match (or position) under every prompt (or item): QTI 1.2's
# response labels, Blackboard's, the quiz player's and the review site's selects. Their
# output grows with the square of these lists, so they are bounded: 100 pairs and 100
# distractors write at most 20,000 labels; 2,000 pairs would write four million.
MAX_PAIRS = 100
MAX_DISTRACTORS = 100
MAX_ORDER_ITEMS = 100
# Moodle XML and GIFT write the correct-answer feedback beside every accepted answer of a
# short answer: 10,000 answers and a long feedback wrote a gigabyte from 387 KB.
MAX_ACCEPTED_ANSWERS = 100
# What to do about a list over its bound, by the list's field name (the error's hint).
BOUND_HINTS = {
    "choices": "a question has at most 26 options, A to Z: split it, or leave some out",
    "pairs": "split it into several matching questions: several formats list every match "
    "under every prompt, so the output grows with the square of the pairs",
    "distractors": "keep the distractors a learner can weigh; every one is listed under every "
    "prompt",
    "items": "split it into several ordering questions: several formats list every position "
    "under every item",
    "answers": "keep the spellings a learner may really give; Moodle XML and GIFT repeat the "
    "feedback beside every one",
}


class ShortAnswerOption(Strict):
    text: PlainText = Field(description="An accepted answer.")
    case_sensitive: bool = Field(
        default=False, description="Compare case-sensitively (default: ignore case)."
    )


class ShortAnswer(_ScoredBase):
    type: Literal["short_answer"] = Field(description="Question type.")
    answers: list[ShortAnswerOption] = Field(
        min_length=1,
        max_length=MAX_ACCEPTED_ANSWERS,
        description="Accepted answers, 1 to 100; surrounding white space is ignored.",
    )


class ExactAnswer(Strict):
    value: Number = Field(description="The correct value, at most 1e15 in magnitude.")
    tolerance: Tolerance = Field(
        default=0, description="Accept value ± tolerance (absolute), 0 to 1e15."
    )


class RangeAnswer(Strict):
    min: Number = Field(description="Smallest accepted value (inclusive), at least -1e15.")
    max: Number = Field(description="Largest accepted value (inclusive), at most 1e15.")


class Numeric(_ScoredBase):
    type: Literal["numeric"] = Field(description="Question type.")
    answer: ExactAnswer | RangeAnswer = Field(
        description="Either {value, tolerance} or {min, max}."
    )
    unit: PlainText | None = Field(default=None, description="Unit shown after the input box.")


class Essay(_ScoredBase):
    """Free text, scored by hand."""

    type: Literal["essay"] = Field(description="Question type.")
    sample_answer: RichText | None = Field(default=None, description="A model answer for graders.")
    rubric: RichText | None = Field(default=None, description="How graders score the answer.")


class Pair(Strict):
    prompt: RichText = Field(description="The left-hand item.")
    match: PlainText = Field(description="The right-hand item that belongs to it.")


class Matching(_ScoredBase):
    type: Literal["matching"] = Field(description="Question type.")
    pairs: list[Pair] = Field(
        min_length=2, max_length=MAX_PAIRS, description="Prompt/match pairs, 2 to 100."
    )
    distractors: list[PlainText] = Field(
        default_factory=list,
        max_length=MAX_DISTRACTORS,
        description="Extra matches that belong to no prompt, at most 100.",
    )


class Ordering(_ScoredBase):
    type: Literal["ordering"] = Field(description="Question type.")
    items: list[RichText] = Field(
        min_length=2,
        max_length=MAX_ORDER_ITEMS,
        description="The items, 2 to 100, in the correct order.",
    )


class FillInBlanks(_ScoredBase):
    type: Literal["fill_in_blanks"] = Field(description="Question type.")
    blanks: dict[Slug, list[PlainText]] = Field(
        description="Accepted answers per blank id; the prompt marks each blank as [[blank-id]]."
    )
    case_sensitive: bool = Field(
        default=False, description="Compare answers case-sensitively (default: ignore case)."
    )

    def blank_order(self) -> list[str]:
        """The blank ids in the order the prompt shows them (then any it does not show, in
        a bank that failed validation), as learners meet them."""
        shown = dict.fromkeys(b for b in BLANK_MARKER.findall(self.prompt) if b in self.blanks)
        return [*shown, *(b for b in self.blanks if b not in shown)]


class TextItem(_QuestionBase):
    """No response and no points: instructions or a scenario on its own."""

    type: Literal["text"] = Field(description="Question type.")


Question = Annotated[
    SingleChoice
    | MultipleResponse
    | TrueFalse
    | ShortAnswer
    | Numeric
    | Essay
    | Matching
    | Ordering
    | FillInBlanks
    | TextItem,
    Field(discriminator="type"),
]

ScoredQuestion = (
    SingleChoice
    | MultipleResponse
    | TrueFalse
    | ShortAnswer
    | Numeric
    | Essay
    | Matching
    | Ordering
    | FillInBlanks
)

QUESTION_TYPES: tuple[str, ...] = (
    "single_choice",
    "multiple_response",
    "true_false",
    "short_answer",
    "numeric",
    "essay",
    "matching",
    "ordering",
    "fill_in_blanks",
    "text",
)
