"""Presentation MathML → LaTeX, for the common shapes; None when a shape has no sure LaTeX.

Imported math becomes `$…$` in the bank, which packager renders back to MathML: readable in
the canonical JSON and editable by authors. What this cannot translate is kept as MathML
(packager.mathml checks it like any other).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml import etree

# Characters with a LaTeX command of their own (the rest are written as they are).
_SYMBOLS = {
    "×": r"\times", "÷": r"\div", "±": r"\pm", "∓": r"\mp", "·": r"\cdot", "⋅": r"\cdot",
    "≤": r"\le", "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "≡": r"\equiv", "∞": r"\infty",
    "→": r"\to", "←": r"\leftarrow", "⇒": r"\Rightarrow", "⇔": r"\Leftrightarrow",
    "∈": r"\in", "∉": r"\notin", "⊂": r"\subset", "⊆": r"\subseteq", "∪": r"\cup",
    "∩": r"\cap", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "∂": r"\partial", "∇": r"\nabla",
    "√": r"\surd", "∀": r"\forall", "∃": r"\exists", "¬": r"\neg", "∧": r"\wedge", "∨": r"\vee",
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\epsilon",
    "θ": r"\theta", "λ": r"\lambda", "μ": r"\mu", "π": r"\pi", "ρ": r"\rho", "σ": r"\sigma",
    "τ": r"\tau", "φ": r"\phi", "ω": r"\omega", "Δ": r"\Delta", "Σ": r"\Sigma",
    "Ω": r"\Omega", "Π": r"\Pi", "Γ": r"\Gamma", "Θ": r"\Theta", "Λ": r"\Lambda",
    "Φ": r"\Phi", "′": "'", "−": "-", "\u2061": "", "\u2062": "", "\u2063": ",",
    "{": r"\{", "}": r"\}", "%": r"\%", "#": r"\#", "&": r"\&", "_": r"\_", "$": r"\$",
    "\\": r"\backslash ", "^": r"\hat{}", "~": r"\sim ",
}
_FUNCTIONS = frozenset(
    ["sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "lim", "max", "min", "det", "gcd", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh"]
)


_ACCENTS = {
    ("mover", "¯"): r"\overline", ("mover", "‾"): r"\overline", ("mover", "^"): r"\hat",
    ("mover", "ˆ"): r"\hat", ("mover", "→"): r"\vec", ("mover", "~"): r"\tilde",
    ("mover", "˜"): r"\tilde", ("mover", "˙"): r"\dot", ("mover", "¨"): r"\ddot",
    ("munder", "_"): r"\underline", ("munder", "̲"): r"\underline",
}
_OPERATORS = frozenset("∑∏∫∮⋃⋂")


def _is_operator(element: etree._Element) -> bool:
    text = (element.text or "").strip()
    return _name(element) in ("mo", "mi") and (text in _OPERATORS or text in _FUNCTIONS)


class _NoLatex(Exception):
    """A shape this translator does not know."""


def to_latex(math: etree._Element) -> str | None:
    """LaTeX for a MathML `math` element (any namespace or none), or None."""
    try:
        return " ".join(_children(math).split()) or None
    except _NoLatex:
        return None


def _name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        raise _NoLatex
    return tag.rpartition("}")[2]


def _text(value: str | None) -> str:
    out = []
    for char in (value or "").strip():
        symbol = _SYMBOLS.get(char, char)
        out.append(symbol + (" " if symbol.startswith("\\") and symbol[-1].isalpha() else ""))
    return "".join(out)


def _children(element: etree._Element) -> str:
    return "".join(_latex(child) for child in element)


def _group(element: etree._Element) -> str:
    inner = _latex(element).strip()
    if len(inner) == 1 or (_is_operator(element) and inner.startswith("\\")):
        return inner
    return "{" + inner + "}"


def _latex(element: etree._Element) -> str:
    name = _name(element)
    if element.tail and element.tail.strip():
        raise _NoLatex  # text between elements has no meaning in MathML
    args = list(element)
    if name in ("math", "mrow", "mstyle", "mpadded", "semantics"):
        kept = [a for a in args if _name(a) not in ("annotation", "annotation-xml")]
        return "".join(_latex(a) for a in kept)
    if name == "mi":
        text = (element.text or "").strip()
        if text in _FUNCTIONS:
            return "\\" + text + " "
        if len(text) > 1 and text.isalpha():
            return r"\mathrm{" + text + "}"
        return _text(text)
    if name in ("mn", "mo"):
        return _text(element.text)
    if name == "mtext":
        text = (element.text or "").replace("{", r"\{").replace("}", r"\}")
        return r"\text{" + text.replace("\\", "") + "}"
    if name == "mspace":
        return r"\;"
    if not args and name not in ("mtable",):
        raise _NoLatex
    if name == "mfrac" and len(args) == 2:
        return r"\frac" + "{" + _latex(args[0]) + "}{" + _latex(args[1]) + "}"
    if name == "msqrt":
        return r"\sqrt{" + "".join(_latex(a) for a in args) + "}"
    if name == "mroot" and len(args) == 2:
        return r"\sqrt[" + _latex(args[1]) + "]{" + _latex(args[0]) + "}"
    if name in ("mover", "munder") and len(args) == 2 and _name(args[1]) == "mo":
        accent = _ACCENTS.get((name, (args[1].text or "").strip()))
        if accent is not None:
            return accent + "{" + _latex(args[0]) + "}"
    if name in ("mover", "munder", "munderover") and not _is_operator(args[0]):
        raise _NoLatex  # an accent or a stacked layout with no plain LaTeX form
    if name in ("msup", "mover") and len(args) == 2:
        return _group(args[0]) + "^" + _group(args[1])
    if name in ("msub", "munder") and len(args) == 2:
        return _group(args[0]) + "_" + _group(args[1])
    if name in ("msubsup", "munderover") and len(args) == 3:
        return _group(args[0]) + "_" + _group(args[1]) + "^" + _group(args[2])
    if name == "mfenced":
        open_, close = element.get("open", "("), element.get("close", ")")
        return _text(open_) + ",".join(_latex(a) for a in args) + _text(close)
    if name == "mtable":
        rows = []
        for row in args:
            if _name(row) != "mtr":
                raise _NoLatex
            rows.append(" & ".join(_children(cell) for cell in row))
        return r"\begin{matrix}" + r" \\ ".join(rows) + r"\end{matrix}"
    raise _NoLatex
