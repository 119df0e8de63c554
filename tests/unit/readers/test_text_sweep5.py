"""Layouts of text sweep 5's real quiz files (a Spanish physics bank, a Korean security quiz,
course notes): each was a silent misread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from packager.errors import InputError
from packager.readers import text
from packager.readers.base import Source


def _read(body: str, tmp_path: Path, name: str = "quiz.md") -> tuple[str, list[dict[str, Any]]]:
    bank = text.read(Source(name, body.encode(), tmp_path)).bank
    return bank.title, [q.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                        for q in bank.questions]


LABELLED = ("{one}\n\nWhat is 2+3?\n\n- A. 5\n- B. 6\n\n**Answer:** A\n\n"
            "Because two plus three is five.\n\n{two}\n\nWhat is 2+2?\n\n- A. 4\n- B. 5\n\n"
            "**Answer:** A\n")


@pytest.mark.parametrize(("one", "two"), [
    ("### 1", "### 2"), ("## 1", "## 2"), ("1.", "2."), ("1)", "2)"), ("**1.**", "**2.**"),
    ("**Q1**", "**Q2**"), ("**Q1.**", "**Q2.**"), ("### 1.", "### 2."), ("#### Q1", "#### Q2"),
    ("### **Q1.**", "### **Q2.**"),
])
def test_a_number_alone_on_its_line_starts_the_question_below_it(
        one: str, two: str, tmp_path: Path) -> None:
    """Each question's explanation became the next one's scenario, with the next one's
    label (`### 2`); the first label was the bank's title."""
    title, questions = _read(LABELLED.format(one=one, two=two), tmp_path)
    assert title == "quiz"
    assert [(q.get("scenario"), q["prompt"], q.get("explanation")) for q in questions] == [
        (None, "What is 2+3?", "Because two plus three is five."),
        (None, "What is 2+2?", None),
    ]


def test_a_comment_in_a_code_block_starts_no_question(tmp_path: Path) -> None:
    """`# 2` in a fenced block is a comment, not question 2's heading (the linkedin quiz
    files' examples under the options)."""
    body = ("#### Q1. What does any() return?\n\n- [x] True if an item is true\n- [ ] An item\n\n"
            "**example**\n\n```python\n# 2\nany([True, False])\n```\n\n"
            "#### Q2. What is 2+2?\n\n- [ ] 5\n- [x] 4\n")
    _, questions = _read(body, tmp_path)
    assert [q["prompt"] for q in questions] == ["What does any() return?", "What is 2+2?"]
    assert questions[0]["explanation"] == "**example**\n\n```python\n# 2\nany([True, False])\n```"


@pytest.mark.parametrize("body", [
    "**Practice questions:**\n\n* **Question 1:** What is 2+3?\n  * A) 6\n  * B) 5\n  * C) 4\n"
    "  * **Correct answer: B)** Two plus three is five.\n\n* **Question 2:** What is 2+2?\n"
    "  * A) 5\n  * B) 4\n  * **Correct answer: B)** Two plus two is four.\n",
    "* **Pregunta 1:** What is 2+3?\n  * A) 6\n  * B) 5\n  * C) 4\n"
    "  * **Respuesta correcta: B)** Two plus three is five.\n\n* **Pregunta 2:** What is 2+2?\n"
    "  * A) 5\n  * B) 4\n  * **Respuesta correcta: B)** Two plus two is four.\n",
])
def test_a_quiz_written_as_a_bullet_list_reads_its_questions(body: str, tmp_path: Path) -> None:
    """One question whose first option was question 1's text: the key's B marked "A) 6", and
    question 2 was the explanation (the LPI study summary, exit 0)."""
    _, questions = _read(body, tmp_path)
    assert [(q["prompt"], [c["text"] for c in q["choices"] if c.get("correct")],
             q.get("explanation")) for q in questions] == [
        ("What is 2+3?", ["5"], "Two plus three is five."),
        ("What is 2+2?", ["4"], "Two plus two is four."),
    ]


def test_a_letter_naming_an_option_whose_text_starts_with_another_letter_is_refused(
        tmp_path: Path) -> None:
    """Unlettered options whose texts carry letters of their own: `B` by place was "A) 6"."""
    with pytest.raises(InputError) as caught:
        _read("What is 2+3?\n\n- x) 6\n- A) 6\n- B) 5\n\nAnswer: B\n", tmp_path)
    assert [d.message for d in caught.value.diagnostics] == [
        'the key names option B by its place, "A) 6", but the option "B) 5" starts with the '
        "letter B"]


@pytest.mark.parametrize(("key", "explanation"), [
    # The rationale starts with the option's name: it was dropped as a restatement.
    ("Answer: B) SUSE and openSUSE are known for YaST.", "SUSE and openSUSE are known for YaST."),
    ("Answer: B) SUSE, because of YaST.", "SUSE, because of YaST."),
    ("Answer: B) SUSE. It has YaST.", "It has YaST."),
    ("Answer: B) SUSE — it has YaST.", "it has YaST."),
    ("Answer: B) SUSE", None),
    ("Answer: A and B - Ubuntu, SUSE", None),
    ("Answer: A and B - Ubuntu and SUSE.", None),
])
def test_a_key_lines_rationale_that_starts_with_the_options_name_is_kept(
        key: str, explanation: str | None, tmp_path: Path) -> None:
    _, questions = _read(f"1. Which has YaST?\nA) Ubuntu\nB) SUSE\nC) Arch\n{key}\n", tmp_path)
    assert questions[0].get("explanation") == explanation


@pytest.mark.parametrize("fold", [
    "    <details><summary>Explanation</summary>\n",  # the AWS practice-exam repos' layout
    "\n",
])
def test_an_explanation_indented_under_its_question_loses_the_indentation(
        fold: str, tmp_path: Path) -> None:
    """Only its first line lost it: the list's first item stood apart from the others, a
    nested list became one of the first item's (the French AWS exam, every explanation)."""
    body = ("1. What is 2+3?\n    - A. 5\n    - B. 6\n\n    <details><summary>Answer</summary>\n"
            "      Correct answer: A\n    </details>\n" + fold +
            "    - **Right**:\n      - **A. 5**: two plus three is five.\n    - **Wrong**:\n"
            "      - **B. 6**: that is two plus four.\n    </details>\n")
    _, questions = _read(body, tmp_path)
    assert questions[0]["explanation"] == (
        "- **Right**:\n  - **A. 5**: two plus three is five.\n- **Wrong**:\n"
        "  - **B. 6**: that is two plus four.")


def test_code_indented_under_an_explanation_label_stays_code(tmp_path: Path) -> None:
    _, questions = _read("1. Q?\nA) a\nB) b\nAnswer: A\nExplanation: See:\n\n    x = 1\n",
                         tmp_path)
    assert questions[0]["explanation"] == "See:\n\n    x = 1"


@pytest.mark.parametrize(("body", "prompts"), [
    ("Question 1 What is 2+3?\nA) 5\nB) 6\nAnswer: A\n\nQuestion 2 What is 2+2?\nA) 4\nB) 5\n"
     "Answer: A\n", ["What is 2+3?", "What is 2+2?"]),
    # Obsidian quiz callouts titled so (the AZ-204 notes)
    ("> [!question] Question 1 What is 2+3?\n> - 5\n> - 6\n>> [!success]- Answer\n>> 5\n",
     ["What is 2+3?"]),
])
def test_a_question_label_with_no_mark_after_its_number_comes_off(
        body: str, prompts: list[str], tmp_path: Path) -> None:
    """`Question 1` stayed in every prompt and id."""
    _, questions = _read(body, tmp_path)
    assert [q["prompt"] for q in questions] == prompts


def test_prose_that_starts_with_question_and_a_number_goes_on(tmp_path: Path) -> None:
    _, questions = _read("1. Question 2 was harder than this one, wasn't it?\nA) Yes\nB) No\n"
                         "Answer: A\n", tmp_path)
    assert questions[0]["prompt"] == "Question 2 was harder than this one, wasn't it?"


def test_the_pages_text_after_the_last_folded_answer_is_left_out(tmp_path: Path) -> None:
    """A chapter's closing note and its links to other chapters became the last question's
    explanation (the German Kubernetes chapter)."""
    body = ("### 1. What is 2+3?\n\n- a. 5\n- b. 6\n\n<details>\n<summary>Answer</summary>\n\n"
            "**Correct answer: a.** Two plus three is five.\n\n</details>\n\n"
            "> **What next.** Chapter 4 covers subtraction.\n\n"
            "[Contents](https://example.org/) · [Chapter 4](https://example.org/4)\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is not None
    assert result.bank.questions[0].explanation == "Two plus three is five."
    assert [(d.code, d.line) for d in result.diagnostics] == [("W-TEXT-LEFT-OUT", 13)]


def test_an_explanation_after_a_folded_key_stays_the_questions(tmp_path: Path) -> None:
    body = ("1. What is 2+3?\n- a. 5\n- b. 6\n\n<details><summary>Answer</summary>\n"
            "Answer: a\n</details>\n\nExplanation: Two plus three is five.\n")
    _, questions = _read(body, tmp_path)
    assert questions[0]["explanation"] == "Two plus three is five."


@pytest.mark.parametrize(("callout", "explanation"), [
    ("> [!success]- Answer\n> **Correct Answer: A**\n>\n> Two plus three is five.\n",
     "Two plus three is five."),
    ("> [!success]- Answer\n> **A.** Two plus three is five.\n", "Two plus three is five."),
    ("> [!check] Answer\n> A\n", None),
])
def test_an_obsidian_answer_callout_under_a_plain_question_is_its_key(
        callout: str, explanation: str | None, tmp_path: Path) -> None:
    """`text after the options: "> [!success]- Answer"` (the Databricks mock exam, an NLP
    self-test of 22 questions: 4 of 10 search hits for the callout are quizzes so)."""
    _, questions = _read(f"**1.** What is 2+3?\n- A. 5\n- B. 6\n\n{callout}", tmp_path)
    assert [c["text"] for c in questions[0]["choices"] if c.get("correct")] == ["5"]
    assert questions[0].get("explanation") == explanation


def test_a_question_heading_over_a_scenario_label_is_one_question(tmp_path: Path) -> None:
    """`## Question 19` and `**Scenario**: …` each started a question: the heading was one
    with no options (the Databricks mock exam, every question). Its pages' navigation lines
    of links to other pages, above the questions and after the last rule, are no text."""
    body = ("[Back](./README.md) | [Previous: Data](01-data.md) | [Next: Models](03-models.md)\n\n"
            "---\n\n## Question 1\n\n**Scenario**: A shop sells apples. Sales fell.\n\n"
            "**Question**: What do you check first?\n\nA) Prices\nB) Weather\n\n"
            "**Correct Answer: A**\n\nBecause prices matter.\n\n---\n\n"
            "**[← Previous](./01-data.md) | [Next →](./03-models.md)**\n")
    result = text.read_result(Source("quiz.md", body.encode(), tmp_path))
    assert result.bank is not None and result.diagnostics == []
    (question,) = result.bank.questions
    assert (question.scenario, question.prompt, question.explanation) == (
        "A shop sells apples. Sales fell.", "What do you check first?", "Because prices matter.")


def test_a_line_with_one_link_is_text(tmp_path: Path) -> None:
    _, questions = _read("1. What is 2+3?\n- [x] 5\n- [ ] 6\n\n[reference](https://example.org/sums)\n",
                         tmp_path)
    assert questions[0]["explanation"] == "[reference](https://example.org/sums)"


def test_a_spanish_question_after_statements_is_the_prompt(tmp_path: Path) -> None:
    """The split fell at a full stop before an upper-case letter, never before `¿`."""
    _, questions = _read("1. El emisor envía 4 segmentos. El 3 se pierde. ¿Qué ACK enviará?\n"
                         "a) 3\nb) 2\nRespuesta correcta: a\n", tmp_path)
    assert (questions[0]["scenario"], questions[0]["prompt"]) == (
        "El emisor envía 4 segmentos. El 3 se pierde.", "¿Qué ACK enviará?")


@pytest.mark.parametrize("line", ["➡️ [Next: Module 3](https://example.org/3)",
                                  "👉 Try it yourself in the lab."])
def test_an_arrow_under_the_key_is_no_rationale(line: str, tmp_path: Path) -> None:
    """A `➡`/`👉` line under a key is as often a link onward or a tip (review 24): it stays
    refused where `💡` marks the rationale."""
    with pytest.raises(InputError):
        _read(f"1. What is 2+3?\nA. 5\nB. 6\n✅ **Answer: A**\n{line}\n", tmp_path)


def test_a_key_and_explanation_labelled_in_html_emphasis_are_read(tmp_path: Path) -> None:
    """`<b>Resposta Correta: C</b><br>` and `<i>Explicação:</i> …` in a folded answer: "no
    key" (the CyberOps simulado, Portuguese)."""
    body = ("**1. Qual PDU a camada 3 cria?**\n- [ ] A) Segmento\n- [ ] B) Quadro\n- [ ] C) Pacote\n\n"
            "<details>\n<summary><b>✅ Ver Gabarito</b></summary>\n<b>Resposta Correta: C</b><br>\n"
            "<i>Explicação:</i> Um <b>Pacote</b>.\n</details>\n<br>\n")
    _, questions = _read(body, tmp_path)
    assert [c["text"] for c in questions[0]["choices"] if c.get("correct")] == ["Pacote"]
    assert questions[0]["explanation"] == "Um <b>Pacote</b>."


@pytest.mark.parametrize(("body", "explanations"), [
    # steps numbered alone in an explanation, the next one the next question's number
    ("1. In which order?\n\na) Create, then assign\nb) Assign, then create\n\nAnswer: a\n\n"
     "Explanation: the steps are\n\n**1.**\n\nCreate it.\n\n**2.**\n\nAssign ports.\n\n"
     "2. Which command shows VLANs?\n\na) show vlan\nb) show ip route\n\nAnswer: a\n",
     ["the steps are\n\n**1.**\n\nCreate it.\n\n**2.**\n\nAssign ports.", None]),
    ("## 1. What is 2+3?\n\n- A) 5\n- B) 6\n\n**Answer:** A\n\nSteps:\n\n### 1\n\nTake two."
     "\n\n### 2\n\nAdd three.\n\n## 2. What is 2+2?\n\n- A) 4\n- B) 5\n\n**Answer:** A\n",
     ["Steps:\n\n### 1\n\nTake two.\n\n### 2\n\nAdd three.", None]),
    # quarters alone in a scenario
    ("1. Revenue per quarter:\n\nQ1\n\nQ2\n\nQ3\n\nWhich quarter came last?\n\nA) Q1\nB) Q3\n\n"
     "Answer: B\n", [None]),
])
def test_a_number_alone_over_text_another_question_follows_starts_none(
        body: str, explanations: list[str | None], tmp_path: Path) -> None:
    """Review 24: a step `**2.**` in an explanation was question 2, the real one's `2.` left
    in its scenario; a quarter `Q2` alone in a scenario was refused."""
    _, questions = _read(body, tmp_path)
    assert [q.get("explanation") for q in questions] == explanations


@pytest.mark.parametrize(("body", "texts"), [
    # options of links to the web, one set off by `·`: the key B was W3Schools
    ("1. Where are Python's docs?\n\n* [Python docs](https://docs.python.org/3/) · "
     "[Tutorial](https://docs.python.org/3/tutorial/)\n* [W3Schools](https://www.w3schools.com/)\n\n"
     "Answer: A\n", ["[Python docs](https://docs.python.org/3/) · "
                     "[Tutorial](https://docs.python.org/3/tutorial/)"]),
])
def test_links_to_the_web_are_no_navigation(body: str, texts: list[str], tmp_path: Path) -> None:
    """Review 24: a line of links to the web was read as a page's navigation and deleted."""
    _, questions = _read(body, tmp_path)
    assert [c["text"] for c in questions[0]["choices"] if c.get("correct")] == texts


def test_a_references_line_in_an_explanation_stays(tmp_path: Path) -> None:
    _, questions = _read("1. Which stores objects?\nA) S3\nB) EC2\nAnswer: A\n\nExplanation: S3 is "
                         "object storage.\n[S3 docs](https://docs.aws.amazon.com/s3/) | "
                         "[S3 FAQ](https://aws.amazon.com/s3/faqs/)\n", tmp_path)
    assert questions[0]["explanation"].endswith("| [S3 FAQ](https://aws.amazon.com/s3/faqs/)")


def test_a_rationale_written_openly_under_a_folded_key_stays(tmp_path: Path) -> None:
    """Review 24: it was left out as the page's text."""
    _, questions = _read("1. What is 2+3?\n\n- A) 5\n- B) 6\n\n<details><summary>Show answer"
                         "</summary>\n\n**Answer:** A\n\n</details>\n\nTwo plus three is five.\n",
                         tmp_path)
    assert questions[0]["explanation"] == "Two plus three is five."


def test_an_answer_callout_under_a_key_line_is_the_rationale(tmp_path: Path) -> None:
    _, questions = _read("1. Which port does DNS use?\n\n- A) 53\n- B) 80\n\n**Answer: A**\n\n"
                         "> [!success]- Answer\n> B) 80 is a common trap: that is HTTP.\n", tmp_path)
    assert questions[0]["explanation"] == "B) 80 is a common trap: that is HTTP."


def test_an_empty_question_heading_is_not_merged_into_the_next(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        _read("## Question 1\n\nWhat is 2+3?\n\n- A) 5\n- B) 6\n\n**Answer:** A\n\n## Question 2\n\n"
              "## Question 3\n\nWhat is 2+2?\n\n- A) 4\n- B) 5\n\n**Answer:** B\n", tmp_path)


def test_a_year_heading_is_no_question_number(tmp_path: Path) -> None:
    _, questions = _read("# History quiz\n\n## 1914\n\n1. Which event started the war?\n\n"
                         "a) Sarajevo\nb) Lusitania\n\nAnswer: a\n", tmp_path)
    assert [q["prompt"] for q in questions] == ["Which event started the war?"]


@pytest.mark.parametrize(("body", "prompts"), [
    # a number alone over a stem whose list is numbered from 1
    ("### 1\n\nWhat is 2+3?\n\n- A) 5\n- B) 6\n\n**Answer:** A\n\n### 2\n\nWhich are true?\n\n"
     "1) TCP is reliable.\n2) UDP is reliable.\n\n- A) 1 only\n- B) 2 only\n\n**Answer:** A\n",
     ["What is 2+3?", "Which are true?\n\n1) TCP is reliable.\n2) UDP is reliable."]),
    # a number alone over its scenario's label
    ("**1.**\n\nSituation: A supplier is late. What do you do first?\n\nA) Cancel\nB) Ask why\n\n"
     "Answer: B\n\n**2.**\n\nSituation: A release broke login. What do you do first?\n\n"
     "A) Roll back\nB) Wait\n\nAnswer: A\n", ["What do you do first?", "What do you do first?"]),
])
def test_a_number_alone_over_a_numbered_list_or_a_scenario_label_starts_its_question(
        body: str, prompts: list[str], tmp_path: Path) -> None:
    """Review 24b: the list's `2)`, or the scenario's label, counted as another question's
    start, and the question's text went into the one before."""
    _, questions = _read(body, tmp_path)
    assert [q["prompt"] for q in questions] == prompts


def test_html_in_a_code_block_is_the_codes(tmp_path: Path) -> None:
    """Review 24b: `<br>` lines in code were blanked, `<b>Answer: 42</b>` read as a key."""
    _, questions = _read("1. What does this show?\n\n```html\n<p>Hi</p>\n<br>\n<b>Answer: 42</b><br>\n"
                         "```\n\nA) Hi\nB) 42\n\nAnswer: A\n", tmp_path)
    assert questions[0]["prompt"].endswith("```html\n<p>Hi</p>\n<br>\n<b>Answer: 42</b><br>\n```")


def test_a_bulleted_question_over_numbered_statements_is_refused_not_misread(
        tmp_path: Path) -> None:
    """Review 24b: its statements and the question's label went into question 1's
    explanation (the key "Both" then resting on statements no longer shown). Statements
    numbered under a bulleted label still split it: refused, as before this session."""
    with pytest.raises(InputError):
        _read("* **Question 1:** What is 2+3?\n  * A) 5\n  * B) 6\n  * **Answer: A**\n\n"
              "* **Question 2:** Consider:\n  1. UDP is connectionless.\n"
              "  2. TCP is reliable.\n  * A) Both\n  * B) Neither\n  * **Answer: A**\n", tmp_path)


def test_a_comment_in_code_under_a_number_alone_is_no_question_start(tmp_path: Path) -> None:
    """Review 24c: `# 2. sort the list` in the code of question `**2.**` made `**2.**` a
    step, and question 2 went into question 1's explanation."""
    _, questions = _read("**1.**\n\nWhat is 2+3?\n\nA) 5\nB) 6\n\n**Answer:** A\n\n**2.**\n\n"
                         "What does this print?\n\n```python\nitems = [3, 1]\n# 2. sort it\n"
                         "items.sort()\nprint(items[0])\n```\n\nA) 1\nB) 3\n\n**Answer:** A\n",
                         tmp_path)
    assert len(questions) == 2


def test_details_inside_code_closes_no_answer(tmp_path: Path) -> None:
    _, questions = _read("1. Which element folds a section?\n\nA) details\nB) div\n\n**Answer:** A\n\n"
                         "Explanation: For example:\n\n```html\n<details>\n<summary>More</summary>\n"
                         "</details>\n```\n\nThe summary stays visible.\n", tmp_path)
    assert questions[0]["explanation"].endswith("The summary stays visible.")


def test_steps_numbered_past_the_next_question_stay_in_the_explanation(tmp_path: Path) -> None:
    """Review 24d: a step `### 3` above the next question's number 2 started a question; the
    steps after it went into question 2's scenario (with question 3's answer)."""
    _, questions = _read("### 1\n\nWhich sets the base image?\n\nA) FROM\nB) RUN\n\n**Answer:** A\n\n"
                         "Steps:\n\n### 1\n\nWrite FROM.\n\n### 2\n\nAdd RUN.\n\n### 3\n\nSet CMD.\n\n"
                         "### 2\n\nWhich runs at build time?\n\nA) RUN\nB) CMD\n\n**Answer:** A\n",
                         tmp_path)
    assert [q.get("scenario") for q in questions] == [None, None]
    assert questions[0]["explanation"].endswith("### 3\n\nSet CMD.")


def test_a_code_block_left_unclosed_does_not_take_the_next_question(tmp_path: Path) -> None:
    """Review 24d: the unclosed block paired with the next question's own code block, and the
    next question was read as code in the explanation (a question lost, exit 0)."""
    _, questions = _read("### 1. What does `print(2**3)` output?\n\n- A) 8\n- B) 6\n\n<details>\n"
                         "<summary>Answer</summary>\n\n**Answer:** A\n\n```python\nprint(2**3)\n\n"
                         "</details>\n\n### 2. What does this code print?\n\n```python\n"
                         "print(len(\"abc\"))\n```\n\n- A) 3\n- B) 2\n\n<details>\n"
                         "<summary>Answer</summary>\n\n**Answer:** A\n\n</details>\n", tmp_path)
    assert [q["prompt"].split("\n")[0] for q in questions] == [
        "What does `print(2**3)` output?", "What does this code print?"]
