"""What every Moodle question type's reader uses (`QuestionFields`): the `<question>`, the
question dict it fills, rich text, notes and errors, fractions, answers and feedback.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from packager.readers.imported import LOST_TEXT, lost_parts
from packager.readers.moodle_text import children, first_children

if TYPE_CHECKING:
    from lxml import etree

    from packager.readers.moodle_text import Context


class QuestionFields:
    """The fields of one question: `q` is filled in place. Texts without a format of their
    own are in the question text's (HTML when it has none)."""

    def __init__(self, ctx: Context, element: etree._Element, q: dict[str, Any]) -> None:
        self.ctx = ctx
        self.element = element
        self.q = q
        self.qid: str = q["id"]
        self._fields = first_children(element)
        text = self._fields.get("questiontext")
        self.format: str = (text.get("format") if text is not None else None) or "html"

    def field(self, tag: str) -> etree._Element | None:
        """The question's first child of this tag (`child(self.element, tag)`)."""
        return self._fields.get(tag)

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
        return self.ctx.rich(self.qid, self.field("questiontext"), self.format, before,
                             self.ctx.picture(self.qid, self.field("image"),
                                              self.field("image_base64")))

    def prompt(self) -> bool:
        text = self.field("questiontext")
        noted = len(self.ctx.notes)
        prompt = self.question_text()
        if prompt is None and any(n.kind == "dropped" for n in self.ctx.notes[noted:]):
            # An image the export carries no file for: "write the question's text" (an
            # error refusing the file) blamed a text the author did write.
            self.dropped(text if text is not None else self.element,
                         f"the whole question: {LOST_TEXT}")
            return False
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
        for answer in children(self.element, "answer"):
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
        self.feedback(self.field("correctfeedback"), self.field("incorrectfeedback"),
                      self.field("partiallycorrectfeedback"))

    def flag(self, tag: str, default: bool) -> bool:
        found = self.field(tag)
        text = (found.text or "" if found is not None else "").strip().lower()
        if not text:
            return default
        return text not in ("0", "false", "no")

    @staticmethod
    def put_in(target: dict[str, Any], key: str, value: Any) -> None:
        if value is not None:
            target[key] = value
