"""Per Moodle question type: the canonical fields of one `<question>` (see moodle.py).

Each reader fills the type's fields into the question dict and returns True, or records why
the question cannot be carried (a note, or an error for input Moodle itself would refuse) and
returns False.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from packager.readers import moodle_cloze as cloze
from packager.readers.imported import first_named, lost_parts, partial_credit_lost

if TYPE_CHECKING:
    from lxml import etree

    from packager.readers.moodle_text import Context

# The headings packager's own writer puts in an essay's grader information.
_RUBRIC = "**Rubric**"
_SAMPLE = "**Sample answer**"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
# An essay's answer box: Moodle's default height (packager's writer writes it too), and what
# each of its other formats gives the learner that a bank's essay cannot say.
_LINES = 15
_ANSWER_FORMATS = {
    "plain": "the answer box's plain text (responseformat 'plain': no formatting)",
    "monospaced": "the answer box's monospaced font (responseformat 'monospaced')",
    "editorfilepicker": "the file picker of the answer editor (responseformat "
                        "'editorfilepicker'), with which the learner could put files and "
                        "images in the answer",
}


class Reader:
    """The fields of one question: `q` is filled in place."""

    def __init__(self, ctx: Context, element: etree._Element, q: dict[str, Any],
                 text_format: str) -> None:
        self.ctx = ctx
        self.element = element
        self.q = q
        self.qid: str = q["id"]
        self.format = text_format

    # -- helpers -------------------------------------------------------------------------------
    def rich(self, element: etree._Element | None,
             before: Callable[[str], str] | None = None) -> str | None:
        return self.ctx.rich(self.qid, element, self.format, before)

    def option(self, element: etree._Element) -> str | None:
        """The rich text of an option, ordering item or subquestion: None when its source
        left it empty (Moodle skips it), "" when all it held was dropped (an image not
        kept: see `lost`)."""
        noted = len(self.ctx.notes)
        text = self.rich(element)
        if text is None and any(n.kind == "dropped" for n in self.ctx.notes[noted:]):
            return ""
        return text

    def lost(self, kind: str, texts: list[str | None]) -> bool:
        """Whether some of the texts (`option`'s) held only what was dropped: the question
        is then left out, noted, rather than shown without them, with made-up texts, or
        with a pair read as a distractor."""
        positions = [n for n, text in enumerate(texts, start=1) if text == ""]
        if positions:
            self.dropped(self.element, lost_parts(kind, positions))
        return bool(positions)

    def dropped(self, element: etree._Element, message: str) -> None:
        self.ctx.note(self.qid, element, "dropped", message)

    def changed(self, element: etree._Element, message: str) -> None:
        self.ctx.note(self.qid, element, "changed", message)

    def error(self, element: etree._Element, message: str, hint: str | None = None) -> bool:
        self.ctx.error(element, message, hint)
        return False

    def put(self, key: str, value: Any) -> None:
        if value is not None:
            self.q[key] = value

    def question_text(self, before: Callable[[str], str] | None = None) -> str | None:
        """The question text, with the question's Moodle 1.9 picture after it."""
        return self.ctx.rich(self.qid, self.element.find("questiontext"), self.format, before,
                             self.ctx.picture(self.qid, self.element))

    def prompt(self) -> bool:
        text = self.element.find("questiontext")
        prompt = self.question_text()
        if prompt is None:
            return self.error(text if text is not None else self.element,
                              "the question has no text", "write the question's text")
        self.q["prompt"] = prompt
        return True

    def fraction(self, answer: etree._Element) -> float | None:
        value = (answer.get("fraction") or "0").strip()
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.error(answer, f"the answer's fraction {value!r} is not a number",
                       "fractions are percentages such as 100, 50 or -33.33333")
            return None
        return number

    def answers(self) -> list[tuple[etree._Element, float]] | None:
        """The `<answer>`s with their fractions; None after an error."""
        found = []
        for answer in self.element.findall("answer"):
            fraction = self.fraction(answer)
            if fraction is None:
                return None
            found.append((answer, fraction))
        return found

    def answered(self) -> list[tuple[etree._Element, float]] | None:
        """The prompt read, then the answers with their fractions; None after an error."""
        return self.answers() if self.prompt() else None

    def feedback(self, correct: etree._Element | None, incorrect: etree._Element | None,
                 partial: etree._Element | None = None) -> None:
        fb = {"correct": self.rich(correct), "incorrect": self.rich(incorrect)}
        partially = self.rich(partial)
        if partially is not None and partially != fb["incorrect"]:
            assert partial is not None
            self.dropped(partial, "the partially-correct feedback (the canonical bank has "
                         "feedback for correct and incorrect answers only)")
        kept = {k: v for k, v in fb.items() if v is not None}
        if kept:
            self.q["feedback"] = kept

    def combined(self) -> None:
        find = self.element.find
        self.feedback(find("correctfeedback"), find("incorrectfeedback"),
                      find("partiallycorrectfeedback"))

    def flag(self, tag: str, default: bool) -> bool:
        text = (self.element.findtext(tag) or "").strip().lower()
        if not text:
            return default
        return text not in ("0", "false", "no")

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
            self.put_in(choice, "feedback", self.rich(answer.find("feedback")))
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
        found = self.options()
        if found is None:
            return False
        choices = [choice for choice, _, _ in found]
        for choice, answer, fraction in found:
            marked = answer.find("correctanswer")
            choice["correct"] = (fraction != 0 if marked is None
                                 else (marked.text or "").strip() not in ("", "0"))
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

    def choices_done(self, choices: list[dict[str, Any]], *, shuffle: bool) -> bool:
        """The options in the question (`shuffle`: Moodle's default of `shuffleanswers`),
        with the combined feedback."""
        self.q["choices"] = [{"id": c.pop("id"), **c} for c in choices]
        if self.flag("shuffleanswers", shuffle):
            self.q["shuffle"] = True
        self.combined()
        return True

    @staticmethod
    def put_in(target: dict[str, Any], key: str, value: Any) -> None:
        if value is not None:
            target[key] = value

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
        self.put("feedback_true", self.rich(found[True][0].find("feedback")))
        self.put("feedback_false", self.rich(found[False][0].find("feedback")))
        return True

    def shortanswer(self) -> bool:
        answers = self.answered()
        if answers is None:
            return False
        case = self.flag("usecase", False)
        wildcards = False
        accepted: list[str] = []
        right_feedback: list[str | None] = []
        for answer, fraction in answers:
            text = self.ctx.plain(answer)
            if text is None:
                continue
            feedback = self.rich(answer.find("feedback"))
            if text == "*":
                if fraction == 0 and feedback is not None:
                    self.q.setdefault("feedback", {})["incorrect"] = feedback
                elif fraction > 0:
                    self.dropped(answer, "the '*' answer that accepts anything")
                continue
            if fraction < 100:
                if fraction > 0 or feedback is not None:
                    self.dropped(answer, f"the answer {text!r} worth {fraction:g} % (a short "
                                 "answer is right or wrong) and its feedback")
                continue
            if cloze.WILDCARD.search(text):
                self.dropped(answer, wildcard_dropped(text))
                wildcards = True
                continue
            text = text.replace("\\*", "*")  # '\*' is a literal asterisk, '*' a wildcard
            if text not in accepted:
                accepted.append(text)
                right_feedback.append(feedback)
        if not accepted and wildcards:
            self.dropped(self.element, ALL_WILDCARDS)
            return False
        if not accepted:
            return self.error(self.element, "no answer is worth 100 %",
                              "give at least one answer a fraction of 100")
        self.q["answers"] = [{"text": t, "case_sensitive": True} if case else {"text": t}
                             for t in accepted]
        if len(set(right_feedback)) == 1 and right_feedback[0] is not None:
            self.q.setdefault("feedback", {})["correct"] = right_feedback[0]
        elif any(right_feedback):
            self.dropped(self.element, "feedback that differs between right answers")
        return True

    def numerical(self) -> bool:
        answers = self.answered()
        if answers is None:
            return False
        exact: dict[str, float] | None = None
        for answer, fraction in answers:
            text = self.ctx.plain(answer) or "*"
            feedback = self.rich(answer.find("feedback"))
            if text == "*":
                if feedback is not None:
                    self.q.setdefault("feedback", {})["incorrect"] = feedback
                continue
            value = _number(text)
            tolerance = _number((answer.findtext("tolerance") or "0").strip() or "0")
            if value is None or tolerance is None:
                return self.error(answer, f"the answer {text!r} or its tolerance is not a number")
            if fraction < 100 or exact is not None:
                self.dropped(answer, f"the answer {text} worth {fraction:g} % (only the first "
                             "fully right answer is kept)")
                continue
            exact = {"value": tidy(value), "tolerance": tidy(abs(tolerance))}
            self.put_in(self.q.setdefault("feedback", {}), "correct", feedback)
        if exact is None:
            return self.error(self.element, "no answer is worth 100 %")
        self.q["answer"] = exact
        self.units()
        if not self.q.get("feedback"):
            self.q.pop("feedback", None)
        return True

    def units(self) -> None:
        for unit in self.element.iterfind("units/unit"):
            name = " ".join((unit.findtext("unit_name") or "").split())
            multiplier = _number((unit.findtext("multiplier") or "1").strip())
            if name and multiplier == 1 and "unit" not in self.q:
                self.q["unit"] = name
            elif name:
                self.dropped(unit, f"the unit {name!r} (multiplier {multiplier:g})"
                             if multiplier is not None else f"the unit {name!r}")
        left = self.element.find("unitsleft")
        if left is not None and "unit" in self.q and _whole(left) == 1:
            # qtype_numerical shows the unit before the number ("$ 5"); the bank's unit is
            # shown after the answer box.
            self.changed(left, f"the unit {self.q['unit']!r} was shown before the number "
                         "(Moodle's unitsleft); a bank shows its unit after the answer box")
        self.unit_grading()

    def unit_grading(self) -> None:
        """qtype_numerical's unit grading (`unitgradingtype` 1 or 2): the learner had to give
        a unit, typed with the number or picked from a list (`showunits` 1 or 2), and a wrong
        or missing one cost `unitpenalty` (Moodle's import reads 0.1 when it is absent) of the
        marks earned (1) or of the question's (2). A bank's unit is only shown beside the
        answer box."""
        grading = self.element.find("unitgradingtype")
        kind = _whole(grading)
        given = self.element.find("unitpenalty")
        penalty = 0.1 if given is None else _number((given.text or "").strip())
        if (grading is None or kind not in (1, 2) or penalty is None or penalty <= 0
                or self.element.find("units/unit") is None):
            return
        how = ("picked from a list" if _whole(self.element.find("showunits")) in (1, 2)
               else "typed with the number")
        of = "of the marks earned" if kind == 1 else "of the question's marks"
        now = (f"the unit {self.q['unit']!r} is now only shown beside the answer box"
               if "unit" in self.q else "no unit is kept")
        self.dropped(grading, f"the unit grading: the learner had to give the unit ({how}), "
                     f"and a wrong or missing one cost {penalty * 100:g} % {of}; {now}")

    def essay(self) -> bool:
        """A bank's essay is a text box, with a rubric and a sample answer: Moodle's response
        settings are noted, each where it is, and an essay without a text box (answered by
        uploading files) is left out, as the QTI 1.2 reader leaves Canvas's file upload
        question out: a text box would not ask for what the question asks."""
        find = self.element.find
        form, lines = find("responseformat"), find("responsefieldlines")
        allowed, required = find("attachments"), find("attachmentsrequired")
        files = _files(_whole(allowed) or 0, _whole(required) or 0,
                       " ".join((self.element.findtext("filetypeslist") or "").split()))
        answer_format = (form.text or "").strip() if form is not None else ""
        if form is not None and answer_format == "noinline":
            upload = f"no text box; {files}" if files else "no text box and no file upload"
            self.dropped(form, f"the whole question: an essay answered only by uploading files "
                         f"({upload}) has no counterpart in a bank, whose essay is answered "
                         "in a text box")
            return False
        if not self.prompt():
            return False
        if form is not None and answer_format in _ANSWER_FORMATS:
            self.dropped(form, _ANSWER_FORMATS[answer_format])
        elif form is not None and answer_format not in ("", "editor"):
            self.dropped(form, f"the answer box's format {answer_format!r}")
        height = _whole(lines)
        if lines is not None and height is not None and height != _LINES:
            self.dropped(lines, f"the answer box's height of {height} lines")
        self.word_limit()
        if files and required is not None and (_whole(required) or 0) > 0:
            self.changed(required, "the learner had to attach files besides the text "
                         f"({files}): a bank's essay takes the text alone")
        elif files:
            self.dropped(allowed if allowed is not None else self.element, "the files the "
                         f"learner could attach besides the text ({files})")
        grader = self.rich(self.element.find("graderinfo"))
        if grader is not None:
            rubric, sample = _grader_parts(grader)
            self.put("rubric", rubric)
            self.put("sample_answer", sample)
        template = self.element.find("responsetemplate")
        if self.ctx.raw(template):
            assert template is not None
            self.dropped(template, "the response template (text the answer box starts with)")
        return True

    def word_limit(self) -> None:
        """Moodle's word limits (0 or empty: none), noted where the first one is."""
        limits = [(tag, _whole(self.element.find(tag))) for tag in ("minwordlimit",
                                                                    "maxwordlimit")]
        given = [(tag, value) for tag, value in limits if value is not None and value > 0]
        first = self.element.find(given[0][0]) if given else None
        if first is None:
            return
        words = ", ".join(f"{'at least' if tag == 'minwordlimit' else 'at most'} {value}"
                          for tag, value in given)
        self.dropped(first, f"the word limit Moodle checked the answer against ({words} words)")

    def matching(self) -> bool:
        if not self.prompt():
            return False
        pairs, distractors = [], []
        subquestions = self.element.findall("subquestion")
        prompts = [self.option(sub) for sub in subquestions]
        if self.lost("subquestion", prompts):
            return False
        for sub, prompt in zip(subquestions, prompts, strict=True):
            match = self.ctx.plain(sub.find("answer"))
            if match is None:
                if prompt is not None:
                    self.dropped(sub, "a subquestion without an answer")
                continue
            if prompt is None:
                distractors.append(match)
            else:
                pairs.append({"prompt": prompt, "match": match})
        if len(pairs) < 2:
            return self.error(self.element, "a matching question needs two subquestions or "
                              "more, each with a text and an answer")
        self.q["pairs"] = pairs
        if distractors:
            self.q["distractors"] = distractors
        # qtype_match gives each right subquestion its share of the marks.
        self.changed(self.element, per_part_lost("pair", [1] * len(pairs),
                                                 self.q.get("points", 1)))
        self.combined()
        return True

    def ordering(self) -> bool:
        answers = self.answered()
        if answers is None:
            return False
        # qtype_ordering numbers the items of the right order in their fractions.
        ranked = sorted(enumerate(answers), key=lambda item: (item[1][1], item[0]))
        texts = [self.option(answer) for answer, _ in answers]
        if self.lost("item", texts):
            return False
        items = [text for index, _ in ranked if (text := texts[index]) is not None]
        if len(items) < 2:
            return self.error(self.element, "an ordering question needs two items or more")
        self.q["items"] = items
        self.ordering_settings(len(items))
        self.combined()
        return True

    def ordering_settings(self, items: int) -> None:
        """Notes for qtype_ordering's settings a bank's ordering question does not have,
        read as Moodle's import_from_xml reads them (its defaults for a missing element:
        a random subset of 6, relative grading; `logical` and `studentsee` in old files)."""
        legacy = self.element.find("selecttype") is None
        select = self.element.find("logical" if legacy else "selecttype")
        count = self.element.find("studentsee" if legacy else "selectcount")
        grading = self.element.find("gradingtype")
        shown, grade = ordering_changes(
            (select.text or "") if select is not None else "RANDOM",
            (count.text or "") if count is not None else "6",
            (grading.text or "") if grading is not None else "RELATIVE",
            items,
        )
        if shown is not None:
            self.changed(select if select is not None else self.element, shown)
        if grade is not None:
            self.changed(grading if grading is not None else self.element, grade)

    def description(self) -> bool:
        if not self.prompt():
            return False
        general = self.element.find("generalfeedback")
        if self.ctx.raw(general):
            assert general is not None
            self.dropped(general, "the general feedback of a description (a text item has none)")
        return True

    def gaps(self, kind: str) -> bool:
        """cloze, ddwtos and gapselect → fill_in_blanks."""
        found = cloze.Gaps()
        text = self.element.find("questiontext")
        if kind == "cloze":
            prompt = self.question_text(
                lambda raw: cloze.mark_cloze(cloze.strip_places(raw), found))
        else:
            tag = "dragbox" if kind == "ddwtos" else "selectoption"
            options = cloze.options(self.ctx, self.element, tag)
            prompt = self.question_text(lambda raw: cloze.mark_select(cloze.strip_places(raw),
                                                                      options, found))
            self.changed(self.element, "the choices to drag or select became typed blanks "
                         "(each accepts its right choice; the other choices are dropped)")
            self.combined()
        where = text if text is not None else self.element
        if found.malformed is not None:
            return self.error(where, found.malformed, "fix the question in Moodle and export it "
                              "again")
        if found.refused is not None:
            self.dropped(where, f"the whole question: {found.refused}")
            return False
        if prompt is None:
            return self.error(where, "the question has no text")
        for message in found.changed:
            self.changed(where, message)
        for message in found.dropped:
            self.dropped(where, message)
        self.q["type"] = "fill_in_blanks"
        self.q["prompt"], self.q["blanks"] = cloze.blanks_of(prompt, found)
        if found.case_sensitive:
            self.q["case_sensitive"] = True
        if kind == "cloze":
            # Moodle's cloze mark is the sum of its gaps' weights (any defaultgrade is ignored).
            total = sum(found.weights)
            self.q.pop("points", None)
            if total != 1:
                self.q["points"] = total
        if len(found.weights) > 1:
            # Moodle grades each gap: a cloze gap by its weight, a ddwtos or gapselect gap by
            # an equal share.
            self.changed(self.element, per_part_lost("gap", found.weights,
                                                     self.q.get("points", 1)))
        return True


def multi_scoring(fractions: list[float]) -> tuple[Literal["all_or_nothing", "partial"],
                                                  str | None]:
    """The canonical scoring of a multi-answer question (Moodle XML `single=false`, GIFT
    weights without `=`) from its options' fractions (at least one above 0), and what the
    bank then grades otherwise than Moodle (None: every set of picks gets Moodle's grade).

    Moodle grades the sum of the picked options' fractions, kept between 0 and 100 %.
    `partial` is that sum for +100/n on each of the n right options and -100/n on each
    wrong one, so those fractions (or no wrong option at all) are carried as they are; with
    one right option, -100 on the wrong ones is all-or-nothing as well. -100 on every wrong
    option beside several right ones (packager's own export of all-or-nothing) is read as
    all-or-nothing, the nearest rule, but in Moodle a subset of the right options alone
    earned its share: noted, as are fractions of any other shape, read as partial."""
    right = [f for f in fractions if f > 0]
    wrong = [f for f in fractions if f <= 0]
    share = 100 / len(right)

    def near(values: list[float], target: float) -> bool:
        return all(abs(f - target) < 1e-3 * max(1, abs(target)) for f in values)

    if wrong and all(f <= -99.999 for f in wrong):
        if len(right) > 1:
            return "all_or_nothing", (
                "the options' fractions: in Moodle some of the right options and no wrong "
                "one earned part of the marks; all-or-nothing scoring gives marks only for "
                "exactly the right options")
        if not near(right, 100):
            return "all_or_nothing", (
                f"the options' fractions: the right option earned {right[0]:g} % in Moodle, "
                "and now earns the whole mark")
        return "all_or_nothing", None
    if near(right, share) and near(wrong, -share):
        return "partial", None
    return "partial", (
        "the options' fractions: every right option now earns the same share, and every "
        "wrong one costs as much as a right one earns")


def per_part_lost(part: str, weights: list[int], points: float) -> str:
    """The note for a question Moodle scored per pair or gap, each right one earning its
    weight's share of the marks (imported.partial_credit_lost)."""
    if len(set(weights)) == 1:
        share = f"each right {part} earns 1/{len(weights)} of the marks"
    else:
        shown = ", ".join(first_named([str(w) for w in weights]))
        share = f"each right {part} earns its weight: {shown} of {sum(weights)}"
    return partial_credit_lost("Moodle", part, share, points)


# A short answer's wildcard: a '*' that no backslash makes literal (qtype_shortanswer).
ALL_WILDCARDS = ("the whole question: every right answer holds Moodle's wildcard '*', which a "
                 "bank's answer cannot")


def wildcard_dropped(answer: str) -> str:
    """The note for a right short answer with a wildcard: the bank would accept it only as
    typed, '*' and all, where Moodle accepted any characters in its place."""
    return (f"the answer {answer!r}: its '*' stands for any characters in Moodle, which a "
            "bank's answer cannot (it would accept only the text as typed)")


# qtype_ordering's grading names (set_options_for_import), each by its full name.
_ORDER_GRADING = {
    "ALL_OR_NOTHING": "ALL_OR_NOTHING", "ABS": "ABSOLUTE_POSITION", "ABSOLUTE": "ABSOLUTE_POSITION",
    "ABSOLUTE_POSITION": "ABSOLUTE_POSITION",
    "RELATIVE_NEXT_INCLUDE_LAST": "RELATIVE_NEXT_INCLUDE_LAST",
    "RELATIVE_ONE_PREVIOUS_AND_NEXT": "RELATIVE_ONE_PREVIOUS_AND_NEXT",
    "RELATIVE_ALL_PREVIOUS_AND_NEXT": "RELATIVE_ALL_PREVIOUS_AND_NEXT",
    "LONGEST_ORDERED_SUBSET": "LONGEST_ORDERED_SUBSET",
    "LONGEST_CONTIGUOUS_SUBSET": "LONGEST_CONTIGUOUS_SUBSET",
    "RELATIVE_TO_CORRECT": "RELATIVE_TO_CORRECT",
}
_MIN_SUBSET = 2  # qtype_ordering's MIN_SUBSET_ITEMS


def ordering_changes(select: str, count: str, grading: str,
                     items: int) -> tuple[str | None, str | None]:
    """What a bank's ordering question (every item shown, all or nothing) changes of
    qtype_ordering's settings, read as Moodle reads them: (the items shown, the grading),
    None where nothing changes. Unknown names are Moodle's defaults: a random subset and
    RELATIVE_NEXT_EXCLUDE_LAST grading; a subset count below 2 is 2."""
    select = select.strip().upper()
    number = _number(count.strip())
    subset = int(number) if number is not None and number >= _MIN_SUBSET else _MIN_SUBSET
    shown = None
    if select not in ("ALL", "EXACT") and subset < items:
        how = "in one run" if select in ("CONTIGUOUS", "CONTIG") else "chosen at random"
        shown = (f"Moodle showed each learner {subset} of the {items} items ({how}); every "
                 "item is shown now")
    name = _ORDER_GRADING.get(grading.strip().upper(), "RELATIVE_NEXT_EXCLUDE_LAST")
    grade = None if name == "ALL_OR_NOTHING" else (
        f"Moodle's {name} grading gave part of the marks for a partly right order; the "
        "order is now right or wrong as a whole")
    return shown, grade


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def tidy(value: float) -> float | int:
    """A number as an author writes it: whole numbers without '.0'."""
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _grader_parts(grader: str) -> tuple[str | None, str | None]:
    """(rubric, sample answer) of the grader information: split at packager's headings when
    it has them, else all of it is the rubric."""
    head, sample = grader, None
    if grader == _SAMPLE or grader.startswith(_SAMPLE + "\n\n"):
        head, sample = "", grader[len(_SAMPLE):]
    elif (at := grader.find(f"\n\n{_SAMPLE}\n\n")) >= 0:
        head, sample = grader[:at], grader[at + len(_SAMPLE) + 4:]
    if head == _RUBRIC or head.startswith(_RUBRIC + "\n\n"):
        head = head[len(_RUBRIC):]
    return head.strip() or None, sample.strip() or None if sample is not None else None


def _whole(element: etree._Element | None) -> int | None:
    """A whole number setting (None: absent, empty or not a whole number)."""
    text = (element.text or "").strip() if element is not None else ""
    try:
        return int(text)
    except ValueError:
        return None


def _files(allowed: int, required: int, types: str) -> str:
    """An essay's attachments as a phrase ("up to 3 files, 1 required; types .pdf"); empty
    when none may be attached. Moodle's -1 is any number."""
    if allowed == 0 and required <= 0:
        return ""
    count = "any number of files" if allowed < 0 else (
        f"up to {max(allowed, required)} file" + ("s" if max(allowed, required) > 1 else ""))
    return (count + (f", {required} required" if required > 0 else "")
            + (f"; types {types}" if types else ""))
