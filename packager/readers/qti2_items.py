"""One QTI 2.1 / 3.0 assessment item → one canonical question (a dict for `make_bank`).

What an item says is read from its declarations, its interaction and its modal feedback,
in QTI 2.1 names (the `Dialect` spells them for 3.0):
- the interaction gives the type (qti2_interactions): choice → single_choice, true_false or
  multiple_response; text entry → short_answer, numeric or fill_in_blanks; inline choice and
  gap match → fill_in_blanks; extended text → essay; match / associate → matching; order →
  ordering; no interaction → text. Any other interaction has no canonical type: the item is
  left out, with a note; so is an item of several interactions (a question has one; entries,
  inline choices and a gap match in one text are one question's blanks).
- the body around the interaction is the prompt; packager's own blocks (`div.scenario`,
  `div.stimulus` with its `p.stimulus-title`) are the scenario and a bank stimulus; a
  `rubricBlock` for scorers holds an essay's rubric (`div.rubric`) and sample answer
  (`div.sample-answer`).
- modal feedback (and feedback blocks in the body): on FEEDBACKMODAL or named EXPLANATION / SOLUTION → explanation; CORRECT /
  INCORRECT → feedback; `FB-<choice>` or a choice's own identifier → that choice's feedback;
  ONYX's boolean outcomes (`FEEDBACK_n`, shown when "true", set by the processing from its
  FEEDBACKBASIC correct/incorrect or from a choice being chosen) → feedback or that choice's;
  feedback set by a condition on the score → by its branches (qti2_score_feedback);
  anything else is added to the explanation (reported, its title dropped). A title heads the
  text in bold; a text is not repeated where it already is.
- points, and the scoring a question cannot keep: see qti2_item_scoring.
- Canvas's calculated and file upload questions (its `question_type`, or a `calculated`
  definition in `itemproc_extension`) have no canonical type: left out, with a note; so are
  template items (values and key set when the item is shown) and items printing a variable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from typing import Any

from lxml import etree

from packager.readers.html_markdown import html_to_markdown
from packager.readers.imported import ImportNote, Location
from packager.readers.qti2_dialect import collapse, line
from packager.readers.qti2_item_reading import elements
from packager.readers.qti2_item_scoring import ItemScoring
from packager.readers.qti2_score_feedback import Meaning, score_feedback

FEEDBACKMODAL = "FEEDBACKMODAL"
# With Canvas's names (its QTI 1.2 feedback idents, which its QTI migration tool keeps as the
# modal feedback's: general_fb, correct_fb, general_incorrect_fb), read as Canvas reads them.
_EXPLANATION = frozenset({"EXPLANATION", "SOLUTION", "GENERAL", "GENERALFEEDBACK", "GENERAL_FB"})
_CORRECT = frozenset({"CORRECT", "RIGHT", "CORRECT_FB"})
_INCORRECT = frozenset({"INCORRECT", "WRONG", "GENERAL_INCORRECT_FB", "INCORRECT_FB"})
# Canvas question types (its `question_type`) a bank has no type for, and why: as the QTI 1.2
# reader says it of the same questions.
_CANVAS_REFUSED = {
    "calculated_question": "a calculated question (a formula over variables), which a bank "
                           "has no type for",
    "file_upload_question": "a file upload question has no counterpart in a bank",
}


_FEEDBACK_KINDS = {"modalFeedback": "modal feedback", "feedbackBlock": "feedback block",
                   "feedbackInline": "inline feedback"}


def _titled(title: str, text: str) -> str:
    """Feedback text under its title (in bold, a paragraph of its own), unless the title
    says nothing the text does not."""
    if not title or title == collapse(text):
        return text
    heading = html_to_markdown(f"<p><strong>{escape(title)}</strong></p>", lambda _: None)
    return f"{heading.markdown}\n\n{text}"


@dataclass
class ReadItem:
    """A question read from an item (None when it has no canonical type), with its notes and
    the stimulus it shows: packager's copied block (QTI 2.1) or references (QTI 3.0)."""

    question: dict[str, Any] | None
    location: Location
    notes: list[ImportNote]
    stimulus: tuple[str | None, str] | None = None  # title, body (Markdown)
    stimulus_refs: list[str] = field(default_factory=list)  # hrefs, relative to the item


class Item(ItemScoring):
    """The reading of one item (its state: ItemReading; its scoring: ItemScoring): its parts,
    whether it is refused, and its feedback."""

    # ------------------------------------------------------------------ the parts

    def location(self) -> Location:
        return Location(self.label, line(self.root), self.paths(self.root))

    def title(self) -> str | None:
        title = collapse(self.d.get(self.root, "title"))
        return title or None

    def refused(self) -> str | None:
        """Why the item has no canonical question whatever its interaction says (None: it
        may have one). Canvas writes a calculated question as an essay (an extended text
        interaction) with the formula in an extension QTI does not define."""
        d = self.d
        qtype = self.canvas.get("question_type", "")
        if qtype in _CANVAS_REFUSED:
            return _CANVAS_REFUSED[qtype]
        if any(d.first(extension, "calculated") is not None
               for extension in d.children(self.root, "itemproc_extension")):
            return _CANVAS_REFUSED["calculated_question"]
        # Its key (setCorrectResponse) and the numbers its text shows are worked out anew
        # for each learner: read as it stands, it had no key, or a hole in its text.
        if d.first(self.root, "templateDeclaration") is not None or d.first(
                self.root, "templateProcessing") is not None:
            return ("a template item (its values are drawn when it is shown, and its key is "
                    "set by templateProcessing) has no fixed form")
        body = d.first(self.root, "itemBody")
        printed = list(d.descendants(body, "printedVariable")) if body is not None else []
        # Feedback printing the score ("You scored 2") loses a word, not the question's text.
        if any(not any(d.name(a) in _FEEDBACK_KINDS for a in v.iterancestors())
               for v in printed):
            return "its text shows a variable's value (printedVariable), which has no fixed form"
        return None

    @cached_property
    def onyx_outcomes(self) -> dict[str, str]:
        """What ONYX's feedback outcomes mean, by identifier: "correct" or "incorrect" for
        `FEEDBACK_n = match(correct, FEEDBACKBASIC)` (its processing sets FEEDBACKBASIC to
        "correct" when SCORE reaches MAXSCORE, else "incorrect"), a choice's identifier for
        `member(choice, RESPONSE)`. Only rules that set the outcome whatever was answered
        count (not in a condition); a choice not chosen (`not member`) has no such place."""
        d = self.d
        meanings: dict[str, str] = {}
        for rule in elements(self.processing):
            identifier = d.get(rule, "identifier") or ""
            expression = elements(rule)
            if d.name(rule) != "setOutcomeValue" or len(expression) != 1:
                continue
            test = expression[0]
            while d.name(test) in ("and", "or") and len(elements(test)) == 1:
                test = elements(test)[0]  # ONYX wraps one test in an <and>
            operands = elements(test)
            if len(operands) != 2:
                continue
            values = {d.name(o): (d.get(o, "identifier") or d.text(o) or "") for o in operands}
            basic = (values.get("variable") == "FEEDBACKBASIC"
                     and values.get("baseValue") in ("correct", "incorrect"))
            chosen = "baseValue" in values and "variable" in values
            if (d.name(test) == "match" and basic) or (d.name(test) == "member" and chosen):
                meanings[identifier] = values["baseValue"]
        return meanings

    @cached_property
    def score_feedback(self) -> dict[str, Meaning]:
        """What feedback set by conditions on the score means (qti2_score_feedback)."""
        return score_feedback(self.d, self.processing, self.points(), self.decls)

    def feedback(self, question: dict[str, Any], shown: list[etree._Element]) -> None:
        """Modal feedback, and the feedback blocks `shown` in the body → the explanation,
        feedback.correct/.incorrect or a choice's feedback (see the module docstring). A
        modal feedback's title is its first line, in bold, where its condition is kept; a
        text already given there is not repeated."""
        d = self.d
        explanation: list[str] = []
        for element in d.children(self.root, "modalFeedback") + shown:
            content = d.first(element, "contentBody")
            text = self.markdown(content if content is not None else element)
            if not text:
                continue
            outcome = d.get(element, "outcomeIdentifier") or ""
            identifier = d.get(element, "identifier") or ""
            hidden = (d.get(element, "showHide") or "show") == "hide"
            key = identifier.upper()
            if hidden and key in _CORRECT | _INCORRECT:
                key = "INCORRECT" if key in _CORRECT else "CORRECT"  # shown when not that
            target = self.feedback_targets.get(identifier)
            by_score = self.score_feedback.get(identifier)
            if by_score is not None and not hidden:
                # Shown by the score the processing reached, whatever its name says ("WRONG"
                # for fewer than four of six right is not every wrong answer's).
                key = "" if by_score == "partial" else by_score.upper()
            if identifier == "true" and not hidden and outcome in self.onyx_outcomes:
                meaning = self.onyx_outcomes[outcome]
                key = meaning.upper() if meaning in ("correct", "incorrect") else key
                target = self.feedback_targets.get(meaning, target)
            what = f"{_FEEDBACK_KINDS[d.name(element) or '']} {identifier!r} on {outcome!r}"
            title = collapse(d.get(element, "title"))
            titled = _titled(title, text)
            if outcome == FEEDBACKMODAL or key in _EXPLANATION:
                if titled in explanation:
                    self.note(element, "changed", f"{what} repeats a text of the explanation: "
                              "it is shown once")
                else:
                    explanation.append(titled)
            elif target is not None and not hidden:
                holder, field = question if target[0] is None else target[0], target[1]
                if holder.get(field) == titled:
                    self.note(element, "changed", f"{what} repeats the feedback its choice "
                              "holds: it is shown once")
                else:
                    # A choice may hold feedback of its own too (a feedbackInline): both are kept.
                    holder[field] = f"{holder[field]}\n\n{titled}" if holder.get(field) else titled
            elif key in _CORRECT | _INCORRECT:
                side = "correct" if key in _CORRECT else "incorrect"
                question.setdefault("feedback", {})[side] = titled
            elif target is not None and hidden and _the_key(question, target[0]):
                # Hidden when the one right choice is chosen: shown for every wrong answer
                # (IMS's feedback example, "No, the correct answer is Vicente Fox.").
                given = question.setdefault("feedback", {})
                held = given.get("incorrect")  # a modal feedback and a block both, say: both
                given["incorrect"] = titled if not held or held == titled else (
                    f"{held}\n\n{titled}")
            else:
                if text in explanation:
                    self.note(element, "changed", f"{what} repeats a text of the explanation: "
                              "it is shown once (its condition is not carried)")
                else:
                    explanation.append(text)
                    self.note(element, "changed", f"{what} is shown with the explanation (its "
                              "condition is not carried)")
                if title and title != collapse(text):
                    # Such a title most often names the condition ("Richtig!"), which every
                    # learner seeing the explanation would read.
                    self.note(element, "dropped", f"the title {title!r} of {what} is dropped "
                              "with its condition")
        if explanation:
            question["explanation"] = "\n\n".join(explanation)


def _the_key(question: dict[str, Any], choice: dict[str, Any] | None) -> bool:
    """Whether `choice` is the one right choice of a single choice question."""
    return (question.get("type") == "single_choice" and choice is not None
            and choice.get("correct") is True)
