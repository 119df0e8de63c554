"""Per Moodle question type: the canonical fields of one `<question>` (see moodle.py).

Each reader fills the type's fields into the question dict and returns True, or records why
the question cannot be carried (a note, or an error for input Moodle itself would refuse) and
returns False.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from packager.readers import moodle_cloze as cloze
from packager.readers.moodle_choices import ChoiceTypes
from packager.readers.moodle_gapfill import Settings, mark_gapfill, shared_answer
from packager.readers.moodle_grading import (
    ALL_WILDCARDS,
    is_number,
    ordering_changes,
    per_gap_note,
    read_number,
    wildcard_dropped,
)
from packager.readers.moodle_text import child, child_text
from packager.readers.numeric_keys import NumberError, decimal_of, exact_answer

if TYPE_CHECKING:
    from lxml import etree


# The headings packager's own writer puts in an essay's grader information.
_RUBRIC = "**Rubric**"
_SAMPLE = "**Sample answer**"
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


class Reader(ChoiceTypes):
    """The fields of one question, by its Moodle type (the choice types: ChoiceTypes)."""

    def shortanswer(self) -> bool:
        answers = self.answered()
        if answers is None:
            return False
        case = self.flag("usecase", False)
        wildcards = False
        accepted: dict[str, None] = {}  # a dict: a list's `in` is quadratic in the answers
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
                accepted[text] = None
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
        # Fully right answers a bank cannot hold (`1e999`, which PHP reads as INF; `1e16`),
        # each with why: left out, and the question with them where no other is right.
        unheld: list[tuple[etree._Element, str, NumberError]] = []
        for answer, fraction in answers:
            text = self.ctx.plain(answer) or "*"
            feedback = self.rich(answer.find("feedback"))
            if text == "*":
                if feedback is not None:
                    self.q.setdefault("feedback", {})["incorrect"] = feedback
                continue
            tolerance = (answer.findtext("tolerance") or "0").strip() or "0"
            if not (is_number(text) and is_number(tolerance)):
                return self.error(answer, f"the answer {text!r} or its tolerance is not a number")
            if fraction < 100 or exact is not None:
                self.dropped(answer, f"the answer {text} worth {fraction:g} % (only the first "
                             "fully right answer is kept)")
                continue
            try:
                held = exact_answer(decimal_of(text.replace(",", ".")),
                                    abs(decimal_of(tolerance.replace(",", "."))))
            except NumberError as unread:
                unheld.append((answer, text, unread))
                continue
            exact = {"value": tidy(held["value"]), "tolerance": tidy(held["tolerance"])}
            self.put_in(self.q.setdefault("feedback", {}), "correct", feedback)
        if exact is None and unheld:
            self.dropped(unheld[0][0], f"the whole question: {unheld[0][2]}")
            return False
        for answer, text, why in unheld:
            self.dropped(answer, f"the answer {text} ({why})")
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
            multiplier = read_number((unit.findtext("multiplier") or "1").strip())
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
        penalty = 0.1 if given is None else read_number((given.text or "").strip())
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
            # As Moodle shows it: format_string strips its tags, the browser decodes its
            # character references.
            match = self.ctx.name(sub.find("answer"))
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
        # qtype_match gives each right subquestion its share of the marks, as a bank does.
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

    def order(self) -> bool:
        """qtype_order (Adriane Boyd's plug-in, a matching of each item to its place): the
        items are its subquestions in document order, which its import numbers 1, 2, 3 …
        whatever their answers say (an empty one skipped). Moodle gives each item in its
        place its share of the marks; a bank's ordering is right or wrong as a whole: noted."""
        if not self.prompt():
            return False
        texts = [self.option(sub) for sub in self.element.findall("subquestion")]
        if self.lost("item", texts):
            return False
        items = [text for text in texts if text is not None]
        if len(items) < 2:
            return self.error(self.element, "an ordering question needs two items or more")
        self.q["items"] = items
        self.changed(self.element, "qtype_order gave each item in its place its share of the "
                     "marks; the order is now right or wrong as a whole")
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
        return self.blanks(found, prompt, kind)

    def gapfill(self) -> bool:
        """qtype_gapfill → fill_in_blanks (moodle_gapfill.py)."""
        answers = self.answers()
        if answers is None:
            return False
        delimiters = (child_text(self.element, "delimitchars") or "").strip() or "[]"
        if len(delimiters) != 2:
            where = child(self.element, "delimitchars")
            return self.error(where if where is not None else self.element,
                              f"the gap delimiters {delimiters[:20]!r} are not two characters",
                              "choose the delimiters in Moodle ([] by default) and export the "
                              "question again")
        settings = Settings(delimiters, not self.flag("disableregex", False),
                            (child_text(self.element, "answerdisplay") or "").strip())
        rights = [self.ctx.raw(answer) for answer, fraction in answers if fraction > 0]
        distractors = sum(1 for answer, fraction in answers
                          if fraction <= 0 and self.ctx.raw(answer))
        found = cloze.Gaps(case_sensitive=self.flag("casesensitive", False))
        prompt = self.question_text(lambda raw: mark_gapfill(
            cloze.strip_places(raw), settings, rights, distractors, found))
        if self.flag("noduplicates", False) and shared_answer(found):
            self.changed(self.element, "Moodle gave one mark for an answer given in several "
                         "gaps (no duplicates); each blank is now graded on its own")
        self.combined()
        return self.blanks(found, prompt, "gapfill")

    def blanks(self, found: cloze.Gaps, prompt: str | None, kind: str) -> bool:
        """The fill_in_blanks fields of the gaps found in the prompt, and the notes of what
        they could not carry."""
        text = self.element.find("questiontext")
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
        # Moodle grades each gap: a cloze gap by its weight, a ddwtos, gapselect or gapfill gap
        # by an equal share, as a bank grades each blank.
        note = per_gap_note(found.weights, self.q.get("points", 1))
        if note is not None:
            self.changed(self.element, note)
        return True


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
