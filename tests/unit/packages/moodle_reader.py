"""An independent reader of Moodle XML question files, for the tests.

Written against Moodle's documented element list (MoodleDocs "Moodle XML format") and what
question/format/xml/format.php reads, NOT against packager's writer: it imports nothing from
packager. The PyPI package `moodle-xml-parser` (0.3.1) was considered; it reads only
multichoice and cloze questions, so it cannot check the other eight types.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field

from lxml import etree


@dataclass
class MoodleFile:
    name: str
    path: str
    data: bytes


@dataclass
class MoodleText:
    format: str | None
    text: str
    files: list[MoodleFile] = field(default_factory=list)


@dataclass
class MoodleAnswer:
    fraction: str
    format: str | None
    text: str
    files: list[MoodleFile]
    feedback: MoodleText | None
    tolerance: str | None


@dataclass
class MoodleQuestion:
    type: str
    fields: dict[str, str]  # simple child elements: <single>true</single> → {"single": "true"}
    texts: dict[str, MoodleText]  # questiontext, generalfeedback, correctfeedback, …
    answers: list[MoodleAnswer]
    subquestions: list[tuple[MoodleText, str]]  # matching: (prompt, answer)
    tags: list[str]
    units: list[tuple[str, str]]  # (multiplier, unit_name)
    name: str | None = None
    category: str | None = None


_SIMPLE = {
    "defaultgrade", "penalty", "hidden", "idnumber", "single", "shuffleanswers",
    "answernumbering", "showstandardinstruction", "usecase", "unitgradingtype", "unitpenalty",
    "showunits", "unitsleft", "responseformat", "responserequired", "responsefieldlines",
    "attachments", "attachmentsrequired", "layouttype", "selecttype", "selectcount",
    "gradingtype", "showgrading", "numberingstyle",
}
_TEXTS = {
    "questiontext", "generalfeedback", "correctfeedback", "partiallycorrectfeedback",
    "incorrectfeedback", "graderinfo", "responsetemplate", "info",
}


def _files(element: etree._Element) -> list[MoodleFile]:
    return [
        MoodleFile(f.get("name", ""), f.get("path", ""), base64.b64decode(f.text or ""))
        for f in element.findall("file")
    ]


def _text(element: etree._Element) -> MoodleText:
    return MoodleText(element.get("format"), element.findtext("text") or "", _files(element))


def read(data: bytes) -> list[MoodleQuestion]:
    root = etree.fromstring(data)
    assert root.tag == "quiz", root.tag
    questions: list[MoodleQuestion] = []
    for q in root.findall("question"):
        mq = MoodleQuestion(q.get("type", ""), {}, {}, [], [], [], [])
        for child in q:
            tag = child.tag
            if tag == "name":
                mq.name = child.findtext("text")
            elif tag == "category":
                mq.category = child.findtext("text")
            elif tag in _SIMPLE:
                mq.fields[tag] = child.text or ""
            elif tag in _TEXTS:
                mq.texts[tag] = _text(child)
            elif tag == "answer":
                feedback = child.find("feedback")
                mq.answers.append(MoodleAnswer(
                    child.get("fraction", ""), child.get("format"), child.findtext("text") or "",
                    _files(child), _text(feedback) if feedback is not None else None,
                    child.findtext("tolerance"),
                ))
            elif tag == "subquestion":
                mq.subquestions.append((_text(child), child.findtext("answer/text") or ""))
            elif tag == "tags":
                mq.tags = [t.findtext("text") or "" for t in child.findall("tag")]
            elif tag == "units":
                mq.units = [
                    (u.findtext("multiplier") or "", u.findtext("unit_name") or "")
                    for u in child.findall("unit")
                ]
            elif tag == "shownumcorrect":
                mq.fields[tag] = "1"
            else:
                raise AssertionError(f"element <{tag}> is not in Moodle's documented list")
        questions.append(mq)
    return questions


# Cloze (multianswer) sub-question codes, as MoodleDocs "Embedded Answers (Cloze)" defines.
CLOZE = re.compile(r"\{(\d*):(SHORTANSWER(?:_C)?|SA|MW|SAC|MWC|NUMERICAL|NM|MULTICHOICE\w*):"
                   r"((?:\\.|[^}\\])*)\}")


def cloze_answers(code_body: str) -> list[tuple[str, str]]:
    """'%100%a~%100%b\\}' → [('100', 'a'), ('100', 'b}')] (fraction, answer as Moodle stores
    it). qtype_multianswer_extract_question: an answer runs to a '~', '#' or '}' that no '\\',
    '&' or '&amp;' stands right before, its feedback after '#' to a '~' or '}' no backslash
    stands before; the answer's HTML entities are decoded, then only '\\}' and '\\#' unescaped."""
    result = []
    for m in re.finditer(r"~?(=|%(-?[0-9.]+)%)?(.+?)(?<!\\)(?<!&)(?<!&amp;)(?=[~#}]|$)"
                         r"(?:#(.*?)(?<!\\)(?=[~}]|$))?", code_body, re.S):
        fraction = "100" if m.group(1) == "=" else (m.group(2) or "0")
        answer = html.unescape(m.group(3)).replace("\\}", "}").replace("\\#", "#")
        result.append((fraction, answer))
    return result
