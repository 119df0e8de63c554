"""The itemfeedback idents of QTI 1.2 as Canvas reads them: shared by the QTI 1.2 writers
(writers/qti12.py, and the Common Cartridge's writers/cc_qti.py) and the QTI 1.2 reader
(readers/qti12_choices.py), which reads that QTI back.

The question's feedback is `general_fb` (the explanation), `correct_fb` and `incorrect_fb`
(Canvas writes `general_incorrect_fb`); an answer's is `<answer ident>_fb`. An answer whose
ident makes one of the question's names (a choice `correct`, `general`, `incorrect` or
`general_incorrect`) would take that name and one of the two texts would be lost: its
feedback is `<answer ident>_fb_answer` instead, which is neither a question's name nor any
other answer's (those end in `_fb`).
"""

from __future__ import annotations

GENERAL_FB = "general_fb"
CORRECT_FB = "correct_fb"
INCORRECT_FB = "incorrect_fb"
GENERAL_INCORRECT_FB = "general_incorrect_fb"  # Canvas's, and so packager's QTI 1.2 writer's
QUESTION_FEEDBACK = frozenset({GENERAL_FB, CORRECT_FB, INCORRECT_FB, GENERAL_INCORRECT_FB})


def answer_feedback_ident(answer: str) -> str:
    """The ident of the feedback of the answer (response_label) `answer`."""
    ident = f"{answer}_fb"
    return f"{ident}_answer" if ident in QUESTION_FEEDBACK else ident
