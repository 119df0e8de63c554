"""The Moodle choice question types (`ChoiceTypes`): multichoice, oumultiresponse and
truefalse, each filling the canonical fields of one `<question>` (see moodle_types).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from packager.readers.moodle_grading import multi_scoring
from packager.readers.moodle_question_fields import QuestionFields
from packager.readers.moodle_text import child

if TYPE_CHECKING:
    from collections.abc import Callable

    from lxml import etree

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class ChoiceTypes(QuestionFields):
    """The choice types' readers (on the helpers of QuestionFields)."""

    # -- types ---------------------------------------------------------------------------------
    def options(self) -> list[tuple[dict[str, Any], etree._Element, float]] | None:
        """The options of a choice question, each with its `<answer>` and fraction (Moodle
        skips an empty option); None after an error or with the question left out, noted."""
        answers = self.answered()
        if answers is None:
            return None
        texts = [self.option(answer) for answer, _ in answers]
        if self.lost("option", texts):
            return None
        found = []
        for (answer, fraction), text in zip(answers, texts, strict=True):
            if text is None:
                continue  # Moodle skips an empty option
            choice: dict[str, Any] = {"text": text}
            self.put_in(choice, "feedback", self.rich(child(answer, "feedback")))
            found.append((choice, answer, fraction))
        if len(found) < 2:
            self.error(self.element, "a multiple-choice question needs two options or more",
                       "add options, or make it a short-answer question")
            return None
        if len(found) > len(_LETTERS):
            self.dropped(self.element, f"the question has {len(found)} options, more than "
                         f"the {len(_LETTERS)} a canonical question may have")
            return None
        for letter, (choice, _, _) in zip(_LETTERS, found, strict=False):
            choice["id"] = letter
        return found

    def multichoice(self) -> bool:
        found = self.options()
        if found is None:
            return False
        choices = [choice for choice, _, _ in found]
        fractions = [fraction for _, _, fraction in found]
        single = self.flag("single", True)
        if not any(f > 0 for f in fractions):
            return self.error(self.element, "no option is worth any marks",
                              "give the right option a fraction of 100")
        if single:
            best = max(fractions)
            for choice, fraction in zip(choices, fractions, strict=True):
                choice["correct"] = fraction == best
            if best < 100 or any(0 < f < best for f in fractions):
                self.changed(self.element, "partial credit of single-answer options: only the "
                             "best option counts as right")
            negative = sorted({f for f in fractions if f < 0})
            if negative:
                self.changed(self.element, "negative marks of single-answer options ("
                             + ", ".join(f"{f:g} %" for f in negative) + "): in Moodle a "
                             "learner who picked one lost that share of the marks; a wrong "
                             "option now scores 0")
            if sum(f == best for f in fractions) > 1:
                self.q["type"] = "multiple_response"
                self.changed(self.element, "several options are fully right: the question "
                             "becomes multiple response")
        else:
            self.q["type"] = "multiple_response"
            self.scoring(choices, fractions)
        return self.choices_done(choices, shuffle=False)

    def oumultiresponse(self) -> bool:
        """The Open University's multiple-response type (qtype_oumultiresponse): an option
        is right when its fraction is not 0, or, in older exports, when its
        `<correctanswer>` says so. Moodle gives each right pick 1/n of the marks (n right
        options) and lets a wrong pick cancel one only once more options are picked than
        are right; `partial` takes a share for every wrong pick, so the two differ when
        some options are wrong and several right: noted."""
        choices = self._plugin_options(lambda fraction: fraction != 0)
        if choices is None:
            return False
        right = sum(choice["correct"] for choice in choices)
        if not right:
            return self.error(self.element, "no option is worth any marks",
                              "give each right option a fraction of 100")
        self.q["type"] = "multiple_response"
        self.q["scoring"] = "partial"
        if 1 < right < len(choices):
            self.changed(self.element, "the scoring: in Moodle a wrong pick cost marks only "
                         "when more options were picked than are right; here every wrong "
                         "pick costs a right pick's share")
        return self.choices_done(choices, shuffle=True)

    def multichoiceset(self) -> bool:
        """qtype_multichoiceset (all-or-nothing multiple choice): an option is right when its
        fraction is above 0 (or an older export's `<correctanswer>` says so, as the plug-in's
        import_from_xml reads it); full marks only for exactly the right set: `all_or_nothing`."""
        choices = self._plugin_options(lambda fraction: fraction > 0)
        if choices is None:
            return False
        if not any(choice["correct"] for choice in choices):
            return self.error(self.element, "no option is right",
                              "give each right option a fraction of 100")
        self.q["type"] = "multiple_response"
        self.q["scoring"] = "all_or_nothing"
        return self.choices_done(choices, shuffle=True)

    def _plugin_options(self, right: Callable[[float], bool]) -> list[dict[str, Any]] | None:
        """The options of a plug-in's multiple-response type, each right by its fraction
        (`right`) or, in older exports, by its `<correctanswer>`; None when unreadable."""
        found = self.options()
        if found is None:
            return None
        for choice, answer, fraction in found:
            marked = child(answer, "correctanswer")
            choice["correct"] = (right(fraction) if marked is None
                                 else (marked.text or "").strip() not in ("", "0"))
        return [choice for choice, _, _ in found]

    def choices_done(self, choices: list[dict[str, Any]], *, shuffle: bool) -> bool:
        """The options in the question (`shuffle`: Moodle's default of `shuffleanswers`),
        with the combined feedback."""
        self.q["choices"] = [{"id": c.pop("id"), **c} for c in choices]
        if self.flag("shuffleanswers", shuffle):
            self.q["shuffle"] = True
        self.combined()
        return True


    def scoring(self, choices: list[dict[str, Any]], fractions: list[float]) -> None:
        """Multi-answer fractions → the canonical key and scoring (see `multi_scoring`)."""
        for choice, fraction in zip(choices, fractions, strict=True):
            choice["correct"] = fraction > 0
        self.q["scoring"], change = multi_scoring(fractions)
        if change is not None:
            self.changed(self.element, change)

    def truefalse(self) -> bool:
        answers = self.answered()
        if answers is None:
            return False
        found: dict[bool, tuple[etree._Element, float]] = {}
        for index, (answer, fraction) in enumerate(answers):
            text = self.ctx.raw(answer).lower()
            # Old exports wrote a translated word: Moodle then takes true first, false second.
            value = text == "true" if text in ("true", "false") else index == 0
            found[value] = (answer, fraction)
        if set(found) != {True, False}:
            return self.error(self.element, "a true/false question needs a 'true' and a "
                              "'false' answer")
        self.q["answer"] = found[True][1] >= 100
        self.put("feedback_true", self.rich(child(found[True][0], "feedback")))
        self.put("feedback_false", self.rich(child(found[False][0], "feedback")))
        return True
