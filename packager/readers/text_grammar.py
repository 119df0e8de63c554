"""The line grammar of the plain-text layout (readers/text.py): what a line of a text bank is.

Patterns for each kind of line (a question's label or number, an option, a key or
explanation line, a rule) and the tests built on them, shared by the splitting of a file into
questions (text_chunks.py), the reading of one question (text_question.py) and the reader.
"""

from __future__ import annotations

import re

from packager.readers.text_key import Line

CODE = "E-TEXT"

SECTION = re.compile(r"^\s*#{1,6}\s")  # a Markdown heading
NEWLINE = re.compile(r"\r\n|\r|\n")
SEPARATOR = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,})\s*$")
# A label may be emphasised as Markdown has it (`**Answer:** B`, `*Explanation*: …`).
EM = r"(?:\*\*|__|\*|_)?"
# A label may be a Markdown heading too (`### Question 3`, `#### Answer: B`).
HEADING = r"(?:#{1,6}\s+)?"
# How a heading of a label alone ends (`### Answer Key`, `**Answer key:**`, `__Key__ :`): each
# run of spaces before a mark, as runs side by side shared a line's spaces every way (a
# heading of many spaces took minutes).
_MARK = EM.removesuffix("?")
LABEL_ALONE_END = rf"(?:\s*{_MARK})?(?:\s*:)?(?:\s*{_MARK})?\s*$"
# The dashes between the two numbers of a range (`Questions 1-2`, an answer key's part
# `(1–54)`): the hyphen-minus and en and em dashes, and those a word processor or a paste
# puts in their place: the hyphen and non-breaking hyphen (U+2010, U+2011), the figure dash
# (U+2012), the minus sign (U+2212) and the fullwidth hyphen-minus (U+FF0D).
RANGE_DASH = "[-\u2010-\u2014\u2212\uff0d]"
# An entry of an answer key that ends the file, one a question (`1. B`, `2) a, c`).
KEY_ENTRY = re.compile(r"^\s*(?:q\s*)?(?P<n>\d{1,5})\s*[.):–—-]\s*(?P<key>\S.*)$", re.I)
# Labels are read in English and in the languages quiz files are most often written in
# besides (Spanish, Portuguese, French, German, Italian, Indonesian; key and explanation
# labels in Chinese, Japanese and Korean too).
SCENARIO_WORDS = (r"situation|scenario|escenario|situaci[oó]n|cen[aá]rio|situa[cç][aã]o"
                  r"|sc[eé]nario|szenario|situazione|skenario|situasi")
# "Problem" as math and CS sets number theirs, as a heading or emphasised only (`Problem 1:
# the server is slow` is a scenario's); in Chinese, Japanese, Korean and Russian too (`第1题`
# puts the number between its words).
_QUESTION_WORDS = (r"question|(?:(?<=# )|(?<=\*\*)|(?<=__))problem|pregunta|pergunta|quest[aã]o"
                   r"|frage|domanda|soal|pertanyaan|問題|问题|問|第|문제|вопрос|задача")
# A note in brackets after a question's number (`Question 1 (2 points)`, `### Q1 (LO-2.1, K2)`,
# `Question 3 [5 marks]`): its points, or its title (text_question's `_noted`). Not a part's
# letter (`Q1 (a)`, `Q1 (ii)`: a question of its own), nor what the learner must read
# (`(Select all that apply)`, `[see Figure 2]`, `(True/False)`, `(continued)`), which stays
# the question's text, the label with it.
_NOT_NOTE = (r"(?![a-z]\.?\s*[)\]]|[ivx]{1,4}\s*[)\]]|\d{1,2}\s*[a-z]?\s*[)\]]"
             r"|\s*(?:part(?:e|ie)?\s|teil\s|select|choose|pick|mark|tick|circle|check|true"
             r"|false|t\s*/\s*f|continued|cont\b|see\b|refer|fig|table|exhibit|all\s+that"
             r"|one\s+answer|multiple|hint|round|give|write|show|explain|answer|\w+\s+answers?\b"
             r"|use\b|using|based|look|read|according"
             r"|seleccion|elij|elig|escoj|marqu|verdadero|falso|vrai|faux|wahr|falsch|pista"
             r"|0+(?:[.,]0+)?\s*(?:points?|pts?|marks?)\b|\d+(?:[.,]\d+)?\s*%))")
NOTE = rf"(?:\s*(?P<note>\({_NOT_NOTE}[^()\n]{{1,80}}\)|\[{_NOT_NOTE}[^\[\]\n]{{1,80}}\]))?"
# A question's own label: `Situation:`, `Question 3:`, `Question-3`, `Q.`, or a Markdown heading
# `### Question 3`; after a dash, a heading's topic (`## Question 1 - Topic 1`) or its question; with no
# mark after the number, the question it asks (`Question 1 What is 2+3?`; prose goes on in
# lower case, `Question 2 was harder?`). A quiz written as
# a list bullets its question labels when emphasised (`* **Question 1:** …`), and AI-written
# ones may sign them (`### ❓ Question 1`; a signed `🔹 Scenario:` stays text, as before).
_QUESTION_SIGN = rf"(?:[❓❔📝📌✏🔹🔸🧩💬🤔]\ufe0f?\s*(?={EM}(?:{_QUESTION_WORDS})\s*\d))?"
LABEL = re.compile(
    rf"^\s*(?:[-*•]\s+(?=(?:\*\*|__)(?:{_QUESTION_WORDS})\s*\d))?{HEADING}{_QUESTION_SIGN}{EM}(?:(?:{SCENARIO_WORDS}){EM}\s*(?:[:.]{EM}\s*|$)"
    rf"|(?:{_QUESTION_WORDS})(?:(?P<dash>-)|\s*(?:#\s*)?)(?P<qn>\d+)(?(dash)(?:[:.](?:\s+|$)|\s+(?:[-–—]\s+)?(?-i:(?=[^a-z]))|$)|(?:[题題])?{NOTE}{EM}\s*(?:[:.]{EM}\s*|\s[-–—]\s+(?P<topic>\S.*)|$"
    r"|(?<=\s)(?-i:(?=[^-–—:.\sa-z][^\n]*\?\s*$))))"
    r"|q\.\s+)",
    re.I,
)
PROMPT_LABEL = re.compile(rf"^\s*{EM}(?:question(?:\s+text)?|prompt){EM}\s*:{EM}\s*", re.I)
# A question's number has up to five digits (a file of 10,000 questions numbers them so); a
# longer one is refused where it would start a question (`LONG_NUMBER`), as it is no number.
LONG_NUMBER = re.compile(r"^\s*\d{6,}[.)]\s+\S")
LONG_NUMBER_HINT = "number the questions up to 99999, or split the file"
# A number, also as a Markdown heading (`### 3.`) or emphasised on its own (`**Q3.**`, `Q.3.`,
# `Q. 3)` as Indian exam papers write them), or
# with the question it starts (`**Q3. What is 2+3?**`: `number_start` sees the emphasis
# close); after `)` also right before the question's capital where the line asks (`17)What
# is …?`: pasted worksheets lose the space; `2)The cd command …` in a rationale is text).
_NUMBER = re.compile(
    rf"^\s*{HEADING}(?:(?P<em>\*\*|__)(?:q\.?\s*)?(?P<n1>\d{{1,5}})[.):]?(?P=em)"
    r"|(?P<wrap>\*\*|__)?(?:q\.?\s*)?(?P<n2>\d{1,5})[.)])(?:\s+|\s*$|(?<=\))(?=(?-i:[A-Z¿¡])[^\n]*\?\s*$))",
    re.I,
)
# A number alone on its line as a heading (`### 2`, `## **Q2**`) or `**Q2**`: the question is
# below it. A bare `Q2` may be a quarter of a business scenario, and `## 1914` a year.
# A note only after a `Q` (`### Q1 (LO-2.1, K2)`): `## 2 (Lab)` is a section's heading.
_NUMBER_ALONE = re.compile(
    rf"^\s*(?:#{{1,6}}\s+{EM}|(?=(?:\*\*|__)q)(?:\*\*|__))(?P<q>q\s*)?(?P<n3>\d{{1,3}})"
    rf"(?(q){NOTE}|){EM}\s*$", re.I)
# A scenario's label (`Scenario:`, `**Situation**:`), which may follow a question's label alone.
SCENARIO_LABEL = re.compile(rf"^\s*{HEADING}{EM}(?:{SCENARIO_WORDS}){EM}\s*(?:[:.]|$)", re.I)
# `Q2:` (also as a heading, `### Q2: Sums`) is a question's label only where 2 is its place
# in the file (`place_label`): in a business scenario `Q3: revenue fell` is as likely a
# quarter. After a dash, another question's number is a range (`Q1 - Q2 refer to the passage
# below.`), not a question; so is a bare number that the lines it heads refer to (`Q1 - 2
# refer to …`, `Q1 – 3 are based on …`), where `Q1 - 25% of 80 is?` is question 1's.
# The verb agrees with a range or with the one passage (`Q1 - 2 refers to …`).
REFERS = (r"(?:refers?|relates?|pertains?|appl(?:y|ies)|concerns?|uses?|(?:are|is)\s+(?:based|about)"
          r"|go(?:es)?\s+with|deals?\s+with)\b")
_RANGE = rf"(?!\s*q\s*\d|\s*\d{{1,5}}[:.,]?\s+{REFERS})"
_Q_NUMBER = re.compile(rf"^\s*q\s*(?:#\s*)?(?P<n>\d{{1,5}})\s*(?::|[-–—](?=\s){_RANGE})\s+",
                       re.I)
_HEADED_Q_NUMBER = re.compile(
    rf"^\s*{HEADING}q\s*(?:#\s*)?(?P<n>\d{{1,5}})\s*(?::|[-–—](?=\s){_RANGE})\s+", re.I)
# A Markdown list may letter its items (`- A) …`, `- (a) …`) or tick them as a task list
# (`- [x] …`, `+ [x] …`, `- [✅] …`): the bullet then only starts the line. `- A. …` only where every item of the
# list is lettered so (text_question's `_lettered_bullets`): one alone is as likely an initial (`- A. Christie`).
# A lettered option may be ticked before it (`✅ b) 5`), or set in bold as a whole (`**b)
# 5**`), which marks it where the others are not (text_question's `_options`).
OPTION = re.compile(
    r"^\s*(?P<tick>[✓✔✅]\ufe0f?\s*)?"
    r"(?P<lead>[-*+•‣◦▪]\s+(?=\*?[a-z]\)\s|\([a-z]\)\s|\[[ x*✓✔✅]\ufe0f?\]\s))?"
    r"(?:(?P<bold>\*\*|__)?(?P<mark>\*)?(?P<letter>[a-z])[.)]|\((?P<paren>[a-z])\)"
    r"|(?P<bullet>[-*+•‣◦▪])|\[(?P<box>[ x*✓✔✅])\ufe0f?\])\s+(?P<text>\S.*)$",
    re.I,
)
# After a label: a colon, or a dash as text pasted from Word has it ("Answer – B"; a hyphen
# only before a space, so "Answer-based" is no label).
_LABEL_END = rf"{EM}\s*(?:[:：]|[–—]|-(?=\s)){EM}\s*"
# A list's bullet at a line's start (`- `, `* `, `• `), not emphasis (`**2.**`).
LIST_BULLET = re.compile(r"^\s*[-*•]\s+")
# A key or explanation label may be a list item when emphasised (`*   **Correct Answer:** A`).
_BULLETED = r"(?:[-*•]\s+(?=\*\*|__))?"
# ... and led by an emoji, as AI-written quizzes have it (`✅ **Correct Answer:** C`,
# `**✔ Correct Answer: b**`, `💡 **Explanation:** …`).
_SIGN = r"(?:[✅✔✓☑💡📝📌🔑👉➡⭐🎯❗ℹ📖🧠]\ufe0f?\s*)?"
_KEY_WORDS = (r"respuestas?(?:\s+correctas?)?|respostas?(?:\s+corretas?)?|gabarito"
              r"|(?:bonnes?\s+)?r[ée]ponses?(?:\s+correctes?)?|(?:richtige|korrekte)\s+antwort(?:en)?"
              r"|antwort(?:en)?|l[öo]sung(?:en)?|rispost[ae](?:\s+corrett[ae])?"
              r"|(?:kunci\s+)?jawaban(?:\s+(?:yang\s+)?benar)?")
# Key and explanation labels in Chinese, Japanese and Korean: matched apart, and only on a line
# that is not all ASCII (`_Labels`): among the others they made every line's match eight times
# slower, case folding or not.
_CJK_KEY_WORDS = "正确答案|正確答案|参考答案|參考答案|答案|正解|정답"
_CJK_EXPLANATION_WORDS = "解析|说明|說明|解释|解釋|解说|解說|解説|해설|설명"


class _Labels:
    """A label's pattern, and its Chinese, Japanese and Korean words' apart (same groups)."""

    def __init__(self, latin: re.Pattern[str], cjk: re.Pattern[str],
                 heading_refused: str = "") -> None:
        self._latin, self._cjk, self._refused = latin, cjk, heading_refused

    def match(self, text: str) -> re.Match[str] | None:
        found = self._latin.match(text)
        if found is None and not text.isascii():
            found = self._cjk.match(text)
        if (found is not None and self._refused and text.lstrip().startswith("#")
                and found["label"].lower().startswith(self._refused)):
            return None  # `### Distractor Analysis`: a block of the explanation heading's
        return found

    def fullmatch(self, text: str) -> re.Match[str] | None:
        found = self.match(text)
        return found if found is not None and found.end() == len(text) else None


# `intl`: a key label in another language, which may name one option or several and, as
# `loose` ones, is prose inside a rationale.
def _key_line(words: str, flags: int) -> re.Pattern[str]:
    return re.compile(
        rf"^\s*{_BULLETED}{HEADING}{_SIGN}{EM}{_SIGN}(?:(?:(?:the\s+)?correct\s+(?:answer|option"
        r"|choice)(?P<s1>s)?|answer(?P<s2>s)?"
        rf"|ans|(?P<loose>key(?P<s3>s)?|correct)|(?P<intl>{words}))" + _LABEL_END
        + rf"|ans\.{EM}\s+|answer\.{EM}\s+(?=\(?(?:[a-h]|\d{{1,2}})\)?(?:\W|$)))(?P<key>.*)$",
        flags,
    )


KEY_LINE = _Labels(_key_line(_KEY_WORDS, re.I), _key_line(_CJK_KEY_WORDS, 0))
# "Feedback:" too: what a rationale is called where a document was written for an LMS;
# "Why correct:" where it argues for the key, then against each other option.
# "Distractor analysis:" in a line or a list (`* **Distractor Analysis:**` after a bulleted key),
# and "Solution:" (`**Solution:** …` under `**Answer:** (B)`, `#### Solution`; `Sol:` under
# `Ans: (b)`, as exam-prep sets abbreviate both), only after the
# options, as a label in another language (in a scenario it is its text: `Solution: 0.1 M
# NaCl`); as a heading "Distractor analysis" is a block of the explanation heading's
# (text_blocks.py).
def _explanation(words: str, flags: int) -> re.Pattern[str]:
    return re.compile(
        rf"^\s*{_BULLETED}{HEADING}{_SIGN}{EM}{_SIGN}(?P<label>explanation|rationale"
        r"|(?:general\s+)?feedback|why\s+(?:(?:this|it)\s+is\s+)?correct"
        rf"|(?P<intl>{words}))" + _LABEL_END, flags,
    )


_LATIN_EXPLANATION_WORDS = (
    r"distractor\s+analysis|(?:model\s+|worked\s+)?solution|sol|explicaci[oó]n|justificaci[oó]n"
    r"|explica[cç][aã]o|justificativa"
    r"|explication|justification|erkl[aä]rung|begr[uü]ndung|spiegazione|penjelasan|pembahasan")
# A GitBook hint block's opening line (`{% hint style="success" %}`).
GITBOOK_HINT = re.compile(r"^\s*\{%-?\s*hint\b[^%\n]*-?%\}\s*$")
# A hint to the learner (`Hint: it is on the Seine.`, `💡 **Hint:** …`) between a question's
# options and its key: the bank has no place for a hint, so it is kept in the explanation.
# Bulleted as the options are (`- Hint: …`, `- 💡 Hint: …`), it is no option: no answer is
# labelled a hint.
HINT = re.compile(rf"^\s*(?:[-*•]\s+)?{_SIGN}{EM}{_SIGN}hint" + _LABEL_END + r"\S", re.I)
EXPLANATION = _Labels(_explanation(_LATIN_EXPLANATION_WORDS, re.I),
                      _explanation(_CJK_EXPLANATION_WORDS, 0), heading_refused="distractor")
# A mark after an option's text that makes it the key: `(correct)`, `[correct answer]`, a tick.
# Looked for in the last characters only: searched through a whole text, a pattern starting
# with a run of spaces tried each space again (quadratic in an option of spaces).
_KEY_MARK = re.compile(r"(?:[(\[] ?correct(?: answer)? ?[)\]]|[✓✔✅]\ufe0f?)$", re.I)
_KEY_MARK_REACH = len("[ correct answer ]")
# Lines only text2qti's own syntax has (quiz title, feedback, file upload, question groups): a
# file with them was written for text2qti, whose zip `import` reads whole.
TEXT2QTI = re.compile(
    r"^(?:[Qq]uiz [Tt]itle:|[Qq]uiz description:|\.\.\.[ \t]+\S|\^{3,}\s*$|(?:END_)?GROUP\s*$)"
)
# text2qti's feedback line (`... Too early.`): under a question's text, the question's feedback;
# under an option, that option's.
TEXT2QTI_FEEDBACK = re.compile(r"^\.\.\.[ \t]+(?P<text>\S.*)$")
# A fenced code block's opening or closing line (CommonMark: up to three spaces of indent at
# the margin; under an option any, as its continuation is indented).
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}(?![^`\n]*`)|~{3,})")  # ```x``` is code


def fence_of(text: str) -> re.Match[str] | None:
    """`FENCE.match(text)`, for the passes over every line of a file: a line without a
    backtick or a tilde (a blank one too), which no fence has, is told at memchr's speed
    (the pattern's match cost 0.1 s over the 120,000 lines of a 10,000-question file)."""
    return FENCE.match(text) if "`" in text or "~" in text else None


ENDS_QUESTION = re.compile(r"\?[\"'”’)\]*_]*$")



# A printed test's part title and the instruction under it, as ExamView prints them.
_PART_TITLE = re.compile(r"^\s*(?:Multiple Choice|Multiple Response|(?:Modified )?True/False"
                         r"|Yes/No|Completion|Matching|Short Answer|Numeric Response|Problem"
                         r"|Essay|Other)\s*$", re.I)
_PART_INSTRUCTION = re.compile(r"^\s*(?:Identify|Indicate|Complete|Match|Write|Solve|Enter"
                               r"|Choose|Select|Read|Answer)\b")


def is_part_title(lines: list[Line], at: int) -> bool:
    """Whether line `at` is a printed test's part title over its instruction (`True/False`,
    then `Indicate whether the statement is true or false.`)."""
    return (at + 1 < len(lines) and _PART_TITLE.match(lines[at].text) is not None
            and _PART_INSTRUCTION.match(lines[at + 1].text) is not None)


def closes_fence(text: str, fence: str) -> bool:
    """Whether a line closes the code block `fence` opened: the same character, at least as
    many, nothing else."""
    bare = text.strip()
    return bare.startswith(fence) and not bare.strip(fence[0])


# A printed test's part title on a line of its own (`Part B`, `SECTION 2: Reading`, `Part
# III - Grammar`): no sentence (`Part A is wrong.`), no question.
PART_LINE = re.compile(r"^\s*(?:part|section)\s+(?:\d{1,3}|[ivx]{1,5}|[a-z])"
                       r"(?:\s*[:.\-–—](?:[^\n]*[^.!?\s])?)?\s*$", re.I)


def is_section_title(line: Line) -> bool:
    """Whether a line is a Markdown heading that titles a section (`## Medium questions`):
    no question's label, asking nothing."""
    return (SECTION.match(line.text) is not None and not LABEL.match(line.text)
            and not ENDS_QUESTION.search(line.text))


def foreign_tail(line: Line) -> bool:
    """Whether a line is a key or explanation line by a label in another language than
    English: one only after a question's options (`Lösung:` and `Antwort:` are as likely a
    scenario's words)."""
    found = KEY_LINE.match(line.text) or EXPLANATION.match(line.text)
    return found is not None and found["intl"] is not None


# A sentence restating the key that starts a line (`The correct answer is option A.`): the
# explanation, unlabelled, where it follows a question's last options. A sentence starts upper
# case: `the correct answer is 9` is an option's text wrapped at the margin.
KEY_SENTENCE = re.compile(
    rf"^\s*{EM}(?:The\s+(?i:correct|right|best)|Correct|Right|Best)\s+"
    r"(?i:answer\s+is|answers\s+are)\s")


def is_tail(line: Line) -> bool:
    return bool(KEY_LINE.match(line.text) or EXPLANATION.match(line.text))


def place_label(line: Line, place: int) -> re.Match[str] | None:
    """The line's `Q<place>:` label (also as a heading, `### Q<place>: Topic`), when it has
    that one; a number alone does not tell (`number_of`: a heading `### Q3: Sales peaked`
    over a business text is no question's)."""
    found = _HEADED_Q_NUMBER.match(line.text)
    return found if found is not None and int(found["n"]) == place else None


def names_key(line: Line) -> bool:
    """Whether the line names a question's key: a key or explanation line, a marked option."""
    if is_tail(line):
        return True
    option = OPTION.match(line.text)
    return option is not None and is_marked(option)


def is_marked(option: re.Match[str]) -> bool:
    """Whether an option line marks itself the key (`*b)`, `[x]`, `… (correct)`)."""
    return bool(option["mark"] or option["tick"] or option["box"] not in (None, " ")
                or key_mark(option["text"]) is not None)


def number_start(text: str) -> re.Match[str] | None:
    """The question number a line starts with and what follows it up to the question's text
    (`3. `, `### 3. `, `**Q3.** `, or `**Q3. ` / `**3. ` where the emphasis closes at the
    line's end, after a question's `?` or `:` unless a `Q` leads the number), or the whole
    line where the number is alone on it (`3.`, `### 3`, `Q3`)."""
    found = _NUMBER.match(text) or _NUMBER_ALONE.match(text)
    if found is not None and found.groupdict().get("wrap"):
        wrap = found["wrap"]
        rest = text[found.end():].rstrip()
        if rest.find(wrap) != len(rest) - len(wrap):
            return None  # the emphasis closes before the line ends (a bold step, `**2. Add:** …`)
        if not (text[found.start("wrap") + len(wrap):].lstrip()[:1] in "qQ"
                or rest[: -len(wrap)].rstrip().endswith(("?", ":"))):
            return None  # a bold line numbered, asking nothing: a title or step (`**1. Intro**`)
    return found


def number_of(line: Line) -> int | None:
    """The question number the line starts with (`3.`, `### 3.`, `**Q3.**`, `Q3:`)."""
    found = number_start(line.text) or _Q_NUMBER.match(line.text)
    if found is None:
        return None
    groups = found.groupdict()
    return int(groups.get("n1") or groups.get("n2") or groups.get("n3") or groups["n"])


def filled(lines: list[Line], start: int = 0, stop: int | None = None) -> int | None:
    """The index of the first line of `lines[start:stop]` that is not blank, or None."""
    end = len(lines) if stop is None else min(stop, len(lines))
    return next((i for i in range(start, end) if not lines[i].blank), None)


def list_follows(lines: list[Line], at: int) -> bool:
    """Whether the numbered line `at` is a list's first item: the next line that is not blank
    (within 64) is numbered one more (`1. Paris …`, `2. Rome …`), so it starts no question."""
    number = number_of(lines[at])
    following = filled(lines, at + 1, at + 64)
    return (number is not None and following is not None
            and number_of(lines[following]) == number + 1)


def question_number(line: Line) -> int | None:
    """The number a question's first line gives it: `3.`, `Q3:`, or `Question 3`."""
    number = number_of(line)
    if number is not None:
        return number
    label = LABEL.match(line.text)
    return int(label["qn"]) if label is not None and label["qn"] else None


def starts_question(line: Line) -> bool:
    return bool(LABEL.match(line.text)) or number_of(line) is not None


def key_mark(text: str) -> str | None:
    """The text before a mark after it that makes it the key (`(correct)`, `✓`), or None
    without one."""
    tail = text[-_KEY_MARK_REACH:]
    found = _KEY_MARK.search(tail)
    if found is None:
        return None
    return text[: len(text) - len(tail) + found.start()].rstrip()
