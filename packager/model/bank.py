"""The bank: metadata, settings, shared scenarios, questions and sections."""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationInfo, model_validator

from packager.model.invariants import Problem, walked
from packager.model.questions import Question
from packager.model.types import PlainText, Points, RichText, Slug, Strict

FORMAT_ID = "packager.question-bank/1"


class Metadata(Strict):
    authors: list[PlainText] = Field(default_factory=list, description="Who wrote the bank.")
    license: PlainText | None = Field(default=None, description="Licence, e.g. 'CC-BY-4.0'.")
    tags: list[PlainText] = Field(default_factory=list, description="Free-form tags.")
    objectives: list[PlainText] = Field(
        default_factory=list, description="Learning objectives of the bank as a whole."
    )


class Settings(Strict):
    shuffle_choices: bool = Field(
        default=False, description="Shuffle choice options (a question's `shuffle` overrides it)."
    )
    passing_score: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Fraction of the points needed to pass (0..1); none means no pass/fail.",
    )
    default_points: Points = Field(
        default=1,
        description="Points of a question that does not set its own (above 0, at most 1e6).",
    )
    show_feedback: Literal["immediately", "on_submit", "never"] = Field(
        default="on_submit",
        description="When learners see feedback and the explanation in players that control it.",
    )


class Stimulus(Strict):
    id: Slug = Field(description="Stimulus id, unique among the bank's stimuli.")
    title: PlainText | None = Field(default=None, description="Optional title of the scenario.")
    body: RichText = Field(description="The shared scenario.")


class Section(Strict):
    id: Slug = Field(description="Section id, unique among the bank's sections.")
    title: PlainText = Field(description="Section title.")
    question_ids: list[Slug] = Field(
        min_length=1, description="Ids of the questions in this section, in order."
    )
    pick: int | None = Field(
        default=None,
        ge=1,
        description="Deliver a random selection of this many questions from the section.",
    )


class InvariantError(ValueError):
    """Raised by the model when cross-field rules fail; carries every problem, located."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.pointer}: {p.message}" for p in problems))


class Bank(Strict):
    """A question bank in the canonical format `packager.question-bank/1`."""

    # "$schema" lets an editor find the published schema (VS Code, JetBrains); it means
    # nothing to packager. Its JSON name is not a Python name: the only alias of the model,
    # used by every dump (a dump read back, e.g. capabilities.without_questions, needs it).
    # Read by that name only: the schema refuses a "json_schema" key, so the model does too
    # (a bank refused for a question is checked against the schema there alone).
    model_config = ConfigDict(
        **Strict.model_config, serialize_by_alias=True, validate_by_name=False,
        validate_by_alias=True,
    )
    json_schema: str | None = Field(
        default=None,
        alias="$schema",
        max_length=2000,
        description="Optional: where editors find this file's JSON Schema (ignored by packager).",
    )
    format: Literal["packager.question-bank/1"] = Field(
        description="Format identifier and major version of this file."
    )
    id: Slug = Field(description="Bank id; exports are named after it.")
    title: PlainText = Field(description="Bank title shown to learners.")
    description: RichText | None = Field(default=None, description="Shown before the questions.")
    language: str = Field(
        default="en",
        pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
        description="BCP 47 language tag of the content.",
    )
    version: str = Field(
        default="1.0.0",
        pattern=r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$",
        # With the id (64) and the longest suffix, a file name stays far below the 255
        # characters file systems allow.
        max_length=64,
        description="Semantic version of the bank, at most 64 characters; part of export "
        "file names.",
    )
    metadata: Metadata = Field(default_factory=Metadata, description="Authors, licence, tags.")
    settings: Settings = Field(default_factory=Settings, description="Delivery settings.")
    stimuli: list[Stimulus] = Field(
        default_factory=list, description="Shared scenarios that questions refer to by id."
    )
    questions: list[Question] = Field(min_length=1, description="The questions, in order.")
    sections: list[Section] | None = Field(
        default=None, description="Optional grouping of questions; every id must exist."
    )

    @model_validator(mode="after")
    def _invariants(self, info: ValidationInfo) -> Bank:
        # The canonical reader defers the rules so it can report them together with the
        # rich-text and media checks; every other caller gets them enforced here.
        if info.context and info.context.get("defer_invariants"):
            return self
        problems = [p for p in walked(self) if p.is_error]
        if problems:
            raise InvariantError(problems)
        return self

    @cached_property
    def stimulus_by_id(self) -> dict[str, Stimulus]:
        return {s.id: s for s in self.stimuli}

    def points_of(self, question: Question) -> float:
        if question.type == "text":
            return 0.0
        return question.points if question.points is not None else self.settings.default_points

    def shuffles(self, question: Question) -> bool:
        own = getattr(question, "shuffle", None)
        return self.settings.shuffle_choices if own is None else bool(own)


class DeliverySection(Strict):
    """A section as delivered: the bank's own, or one implicit section holding every question."""

    id: Slug
    title: PlainText
    questions: list[Question]
    pick: int | None = None
    implicit: bool = False


def delivery_sections(bank: Bank) -> list[DeliverySection]:
    if not bank.sections:
        return [
            DeliverySection(
                id="main", title=bank.title, questions=list(bank.questions), implicit=True
            )
        ]
    by_id = {q.id: q for q in bank.questions}
    return [
        DeliverySection(
            id=s.id, title=s.title, questions=[by_id[i] for i in s.question_ids], pick=s.pick
        )
        for s in bank.sections
    ]


def sections_without(sections: list[dict[str, Any]], drop: set[str]) -> list[dict[str, Any]] | None:
    """Sections (as data) without the questions `drop`: a section left empty goes, and a
    pick is at most what is left to pick from. None when no section is left (a bank's
    `sections` is then absent)."""
    kept: list[dict[str, Any]] = []
    for section in sections:
        ids = [qid for qid in section["question_ids"] if qid not in drop]
        if ids:
            pick = section.get("pick")
            kept.append({**section, "question_ids": ids,
                         **({"pick": min(pick, len(ids))} if pick else {})})
    return kept or None

