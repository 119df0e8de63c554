"""LaTeX → MathML, and the allow-list every MathML element must pass before it enters a package.

latex2mathml builds an ElementTree whose text holds character references as literal
``&#x…;`` strings, then serializes it and *unescapes* the result, so the contents of
``\\text{…}`` (and ``\\mbox``, ``\\textbf``, array cells …) came out as live markup. Here the
tree itself is copied into lxml, its references decoded into characters, so whatever the
author wrote stays text. Every element and attribute of the copy is then checked against a
MathML presentation allow-list (no ``style``, no ``href``, no foreign elements, attribute
values of the types the MathML schemas declare); what fails is reported, never emitted.
The same check serves MathML that arrives from elsewhere (`sanitize`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from packager.richtext_refused import Refused, RefusedKind
from packager.xml.lazy import etree as lazy_etree

if TYPE_CHECKING:
    from lxml import etree

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_Q = f"{{{MATHML_NS}}}"

# MathML presentation elements valid in both MathML 2 (QTI 2.1) and MathML 3 (QTI 3.0).
# Left out on purpose: maction (interactive), mglyph (loads a URL), annotation-xml (an HTML
# integration point that can carry any markup), and content MathML.
ELEMENTS: frozenset[str] = frozenset(
    [
        "math",
        "mrow",
        "mi",
        "mn",
        "mo",
        "ms",
        "mtext",
        "mspace",
        "mfrac",
        "msqrt",
        "mroot",
        "mstyle",
        "merror",
        "mpadded",
        "mphantom",
        "mfenced",
        "menclose",
        "msub",
        "msup",
        "msubsup",
        "munder",
        "mover",
        "munderover",
        "mmultiscripts",
        "mprescripts",
        "none",
        "mtable",
        "mtr",
        "mlabeledtr",
        "mtd",
        "maligngroup",
        "malignmark",
        "semantics",
        "annotation",
    ]
)

# The elements whose content is text; every other one holds elements only.
_TOKENS = frozenset(["mi", "mn", "mo", "ms", "mtext", "annotation"])

_COLOR = re.compile(
    r"\s*(#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?|aqua|black|blue|fuchsia|gray|green|lime|maroon|"
    r"navy|olive|purple|red|silver|teal|white|yellow)\s*",
    re.I,
)
# The MathML schema's length, its number written without its ambiguity ([0-9]*([0-9]\.?|\.[0-9])
# [0-9]* splits "111" many ways, and a failing match tried them all: exponential time in a
# list of lengths of 140 characters).
_LENGTH = (
    r"(-?([0-9]+(\.[0-9]*)?|\.[0-9]+)(e[mx]|in|cm|mm|p[xtc]|%)?"
    r"|(negative)?((very){0,2}thi(n|ck)|medium)mathspace)"
)
_LENGTHS = re.compile(rf"\s*{_LENGTH}(\s+{_LENGTH})*\s*")
_SIZE = re.compile(rf"\s*({_LENGTH}|small|normal|big|thin|medium|thick|infinity)\s*")
# Values from a fixed vocabulary (true/false, left/center, bold-italic, box …): words only.
_WORDS = re.compile(r"\s*[a-z]+(-[a-z]+)*(\s+[a-z]+(-[a-z]+)*)*\s*")
_INTEGER = re.compile(r"\s*[0-9]{1,4}\s*")
_SCRIPTLEVEL = re.compile(r"\s*[+-]?[0-9]{1,2}\s*")
# mfenced open/close/separators and ms quotes: a few visible characters, never markup.
_FENCE = re.compile(r"[^<>&\"'\s]{0,8}")

ATTRIBUTES: dict[str, re.Pattern[str]] = {
    "display": _WORDS,
    "mathvariant": _WORDS,
    "mathsize": _SIZE,
    "mathcolor": _COLOR,
    "mathbackground": _COLOR,
    "displaystyle": _WORDS,
    "scriptlevel": _SCRIPTLEVEL,
    "dir": _WORDS,
    "stretchy": _WORDS,
    "fence": _WORDS,
    "separator": _WORDS,
    "accent": _WORDS,
    "accentunder": _WORDS,
    "largeop": _WORDS,
    "movablelimits": _WORDS,
    "symmetric": _WORDS,
    "form": _WORDS,
    "lspace": _SIZE,
    "rspace": _SIZE,
    "minsize": _SIZE,
    "maxsize": _SIZE,
    "width": _SIZE,
    "height": _SIZE,
    "depth": _SIZE,
    "voffset": _SIZE,
    "linethickness": _SIZE,
    "linebreak": _WORDS,
    "notation": _WORDS,
    "bevelled": _WORDS,
    "columnalign": _WORDS,
    "rowalign": _WORDS,
    "columnlines": _WORDS,
    "rowlines": _WORDS,
    "columnspacing": _LENGTHS,
    "rowspacing": _LENGTHS,
    "frame": _WORDS,
    "framespacing": _LENGTHS,
    "equalrows": _WORDS,
    "equalcolumns": _WORDS,
    "columnspan": _INTEGER,
    "rowspan": _INTEGER,
    "open": _FENCE,
    "close": _FENCE,
    "separators": _FENCE,
    "lquote": _FENCE,
    "rquote": _FENCE,
    "encoding": re.compile(r"[A-Za-z0-9.+/-]{1,64}"),
}

# Lengths that move math or size its boxes, in em: math stays on its own line, in its own
# box, in every renderer (a voffset of 150px drew a "notice" over the SCORM player's header,
# an mspace 1200px wide and 900px high on a white background hid the page). LaTeX's own
# spaces are well inside: \quad is 1em, \! -0.167em, \Huge 2.49em, \hspace{3cm} 7.1em.
_BOUNDS: dict[str, tuple[float, float]] = {
    "voffset": (-1.0, 1.0),
    "lspace": (-1.0, 10.0),
    "rspace": (-1.0, 10.0),
    "width": (-1.0, 10.0),
    "height": (-1.0, 10.0),
    "depth": (-1.0, 10.0),
    "minsize": (-1.0, 10.0),
    "maxsize": (-1.0, 10.0),
    "mathsize": (0.0, 3.0),
    "linethickness": (0.0, 1.0),
}
# A unit in em, roughly (16px, 12pt, 1pc and 2ex to the em; % of the size the math has).
_EM_PER = {"em": 1.0, "ex": 0.5, "px": 1 / 16, "pt": 1 / 12, "pc": 1.0, "in": 6.0,
           "cm": 6 / 2.54, "mm": 0.6 / 2.54, "%": 0.01, "": 1.0}
_NUMBER_AND_UNIT = re.compile(r"\s*(-?[0-9.]+)(e[mx]|in|cm|mm|p[xtc]|%)?\s*")


def _out_of_bounds(attr: str, value: str) -> tuple[float, float] | None:
    """The bounds a valid length of `attr` breaks, or None (within them, or not bounded:
    named spaces and sizes such as thinmathspace, small or infinity)."""
    bounds = _BOUNDS.get(attr)
    found = _NUMBER_AND_UNIT.fullmatch(value) if bounds else None
    if bounds is None or found is None:
        return None
    em = float(found[1]) * _EM_PER[found[2] or ""]
    return None if bounds[0] <= em <= bounds[1] else bounds


def allowed(attr: str, value: str) -> bool:
    """Whether MathML may carry `attr` with `value`: in the allow-list, valid and in bounds."""
    pattern = ATTRIBUTES.get(attr)
    return (
        pattern is not None
        and pattern.fullmatch(value) is not None
        and _out_of_bounds(attr, value) is None
    )


# What an author wrote to get an attribute we refuse: named in the message.
_COMMAND_OF = {
    "style": r"\style",
    "href": r"\href",
    "mathcolor": r"\color",
    "mathbackground": r"\colorbox",
    "class": r"\class",
    "id": r"\cssId",
}
# The kind of an attribute's refusal, for its hint: what the command meant to do, and why no
# package carries it; other attributes are math of no form packages know.
_ATTRIBUTE_KIND: dict[str, RefusedKind] = {
    "href": "math-link", "style": "math-style", "class": "math-style", "id": "math-style"}

_UNKNOWN_COMMAND = re.compile(r"\\[A-Za-z]+")
_REFERENCE = re.compile(r"&#[xX]([0-9a-fA-F]{1,6});|&#([0-9]{1,7});|&(lt|gt|amp|quot|apos);")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _decode(text: str) -> str:
    """latex2mathml's literal character references → the characters they stand for."""

    def one(match: re.Match[str]) -> str:
        hexa, decimal, name = match.groups()
        if name:
            return _NAMED[name]
        code = int(hexa, 16) if hexa else int(decimal)
        if code > 0x10FFFF:
            return "\ufffd"
        return chr(code)

    return _REFERENCE.sub(one, text) if "&" in text else text


def from_latex(latex: str, display: str) -> tuple[etree._Element | None, list[Refused]]:
    """A MathML ``math`` element for LaTeX, or None and why it cannot be carried."""
    math, problems, _ = latex_mathml(latex, display)
    return math, problems


def latex_mathml(
    latex: str, display: str
) -> tuple[etree._Element | None, list[Refused], int]:
    """from_latex, and how many elements deep its MathML nests (0 without MathML)."""
    from latex2mathml.converter import Converter

    try:
        tree = Converter(display=display).convert_to_element(latex)
    except Exception as exc:  # latex2mathml raises many kinds on bad input
        return None, [Refused("math", f"cannot read the math {latex!r}: "
                                      f"{str(exc) or type(exc).__name__}")], 0
    try:
        math, depth = _adopted(tree, _decode)
    except ValueError:  # lxml refuses text XML cannot carry (a reference such as &#0;)
        return None, [Refused("character", f"the math {latex!r} contains a character that "
                                           "XML cannot carry")], 0
    problems = sanitize(math, latex=True)
    # latex2mathml shows a command it does not know as its name: say so instead. (Its text
    # serialized in one C call first, 1 µs against 6 for joining itertext: most formulas
    # hold no backslash at all.)
    if "\\" in lazy_etree().tostring(math, method="text", encoding="unicode"):
        unknown = {str(t) for t in math.itertext() if _UNKNOWN_COMMAND.fullmatch(str(t))}
        problems.extend(Refused("math", f"uses {name}, which packager cannot render")
                        for name in sorted(unknown))
    if problems:
        return None, [Refused(kind, f"the math {latex!r} {p}") for kind, p in problems], 0
    return math, [], depth


# A name XML can carry with no namespace (MathML's are ASCII). An HTML parser makes others
# of a stray quote (`<math x="a"b">` has an attribute `b"`) or a typo (`<mrow#a>`), which
# lxml refuses.
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _element_name(tag: str) -> str:
    """An element's local name as XML can carry it: one it cannot (`mrow#a`) with `_` for
    each character it cannot hold, so that sanitize names the element it does not allow."""
    name = tag.rpartition("}")[2]
    return name if _ATTRIBUTE_NAME.fullmatch(name) else "_" + re.sub(r"[^A-Za-z0-9_.-]", "_", name)


@lru_cache(maxsize=1024)
def _qualified(tag: str) -> str:
    """The MathML name of an element read as `tag` (a few dozen recur in every formula)."""
    return f"{_Q}{_element_name(tag)}"


@lru_cache(maxsize=1024)
def _carried(name: str) -> bool:
    """Whether adopt copies an attribute of this name."""
    return _ATTRIBUTE_NAME.fullmatch(name) is not None and name != "xmlns"


def adopt(element: Any, decode: Callable[[str], str] = str) -> etree._Element:
    """A copy of a MathML element in the MathML namespace: one parsed without namespaces (an
    HTML parser's `math`) or latex2mathml's ElementTree, whose strings `decode` turns into
    text. Comments, namespaced attributes and names XML cannot carry are left out; check the
    copy with sanitize."""
    return _adopted(element, decode)[0]


def _adopted(element: Any, decode: Callable[[str], str]) -> tuple[etree._Element, int]:
    """adopt's copy, and how many elements deep it nests (itself counted)."""
    sub_element = lazy_etree().SubElement

    def fill(out: etree._Element, node: Any, depth: int) -> int:
        deepest = depth
        attributes = node.attrib
        if attributes:  # most elements have none: no items() to make
            for name, value in attributes.items():
                if _carried(str(name)):
                    out.set(str(name), decode(str(value)))
        text = node.text
        if text:
            out.text = decode(text)
        last: etree._Element | None = None
        # The text of a run of comments (their tails) after `last`, or at the start: joined
        # once, not onto the text so far after each (which took time growing with its square).
        run: list[str] | None = None
        for child in node:
            tail = child.tail
            tail = decode(tail) if tail else None
            tag = child.tag
            if not isinstance(tag, str):  # a comment: only its tail is content
                if run is None:
                    run = [(out.text if last is None else last.tail) or ""]
                run.append(tail or "")
                continue
            if run is not None:
                _place(out, last, "".join(run))
                run = None
            # A child made in its parent: it takes the parent's namespace declaration.
            last = sub_element(out, _qualified(tag))
            below = fill(last, child, depth + 1)
            if below > deepest:
                deepest = below
            if tail is not None:
                last.tail = tail
        if run is not None:
            _place(out, last, "".join(run))
        return deepest

    root = lazy_etree().Element(_qualified(str(element.tag)), nsmap={None: MATHML_NS})
    return root, fill(root, element, 1)


def _place(parent: etree._Element, last: etree._Element | None, text: str) -> None:
    """Text in `parent` after its child `last`, or as its text when `last` is None."""
    if last is None:
        parent.text = text
    else:
        last.tail = text


# What prune marks an element it leaves out with: its text kept (inside a token), or not.
_UNWRAP = "packager-unwrap"
_DROP = "packager-drop"


def prune(math: etree._Element) -> list[tuple[Literal["dropped", "changed"], str]]:
    """Leave out of an adopted MathML element what the allow-list refuses and its meaning can
    do without, as the HTML importers leave out scripts and event handlers: attributes (or
    values) it does not allow, `<maction>` for the child it shows (its first), and other
    elements: inside a token (`<mtext><b>x</b></mtext>`) their text stays, elsewhere they go
    with their content. What was left out or changed, one phrase each with its kind (for an
    import's notes); sanitize still has the last word."""
    from lxml import etree

    left: list[tuple[Literal["dropped", "changed"], str]] = []
    gone: set[etree._Element] = set()
    for element in list(math.iter()):
        tag = element.tag
        if not isinstance(tag, str) or element is math:
            continue
        name = tag.rpartition("}")[2]
        if tag.startswith(_Q) and name in ELEMENTS:
            continue
        parent = element.getparent()
        if parent is None or any(above in gone for above in element.iterancestors()):
            continue  # inside an element already left out
        gone.add(element)
        shown = next(iter(element), None) if name == "maction" else None
        if shown is not None:
            shown.tail = element.tail
            parent.replace(element, shown)
            left.append(("changed", "<maction> replaced by what it shows"))
            continue
        kept = str(parent.tag).rpartition("}")[2] in _TOKENS
        for inner in element.iter():  # its own elements go with it (they are in `gone`'s)
            inner.tag = _UNWRAP if kept else _DROP
        text = kept and any(str(t).strip() for t in element.itertext())
        left.append(("dropped",
                     f"<{name}> in MathML dropped" + (" (its text kept)" if text else "")))
    # Removed in one pass each, in C: one at a time, a token's text grew with each (quadratic).
    etree.strip_tags(math, _UNWRAP)
    etree.strip_elements(math, _DROP, with_tail=False)
    for element in list(math.iter()):
        tag = element.tag
        if not isinstance(tag, str):
            continue
        name = tag.rpartition("}")[2]
        for raw_attr, raw_value in list(element.attrib.items()):
            attr = str(raw_attr)
            if not allowed(attr, str(raw_value)):
                del element.attrib[raw_attr]
                left.append(("dropped", f"the MathML attribute {attr}= on <{name}> dropped"))
    return list(dict.fromkeys(left))


# The MathML schemas' content models that every target's XSD checks (MathML 2's, the
# stricter where MathML 3 differs): how many children, and which elements stand only in one.
_ARITY = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2,
          "msubsup": 3, "munderover": 3}
_ONLY_IN = {"mtr": "mtable", "mlabeledtr": "mtable", "mtd": "mtr", "none": "mmultiscripts",
            "mprescripts": "mmultiscripts", "annotation": "semantics"}
_ONLY_HOLDS = {"mtable": ("mtr", "mlabeledtr"), "mtr": ("mtd",), "mlabeledtr": ("mtd",)}


# The elements whose children are checked; the others (mi, mo, mrow …) hold any.
_COUNTED = frozenset([*_ARITY, *_ONLY_HOLDS, "semantics", "mmultiscripts"])


def _structure(element: etree._Element, name: str) -> str | None:
    """Why `element` (a MathML element called `name`) breaks its content model, or None.
    Runs for every element of every formula: most are looked up and left."""
    home = _ONLY_IN.get(name)
    if home is not None:
        parent = element.getparent()
        above = str(parent.tag).rpartition("}")[2] if parent is not None else None
        if above != home and not (name == "mtd" and above == "mlabeledtr"):
            return f"has <{name}> outside <{home}>"
    if name not in _COUNTED:
        return None
    children = [str(child.tag).rpartition("}")[2] for child in element
                if isinstance(child.tag, str)]
    if name in _ARITY and len(children) != _ARITY[name]:
        count = f"{len(children)} child" + ("ren" if len(children) != 1 else "")
        return f"has <{name}> with {count}; it takes {_ARITY[name]}"
    if name in _ONLY_HOLDS and any(child not in _ONLY_HOLDS[name] for child in children):
        held = " or ".join(f"<{child}>" for child in _ONLY_HOLDS[name])
        return f"has <{name}> holding more than {held}"
    if name == "mlabeledtr" and not children:
        return "has an empty <mlabeledtr>"
    if name == "semantics" and (not children or children[0] == "annotation"
                                or any(child != "annotation" for child in children[1:])):
        return "has <semantics> without one expression first and only annotations after it"
    if name == "mmultiscripts":
        at = children.index("mprescripts") if "mprescripts" in children else len(children)
        post, pre = children[1:at], children[at + 1 :]
        if (not children or children[0] in ("none", "mprescripts") or len(post) % 2
                or "mprescripts" in pre or (at < len(children) and (not pre or len(pre) % 2))):
            return ("has <mmultiscripts> without a base and its scripts in pairs (one pair "
                    "at least after <mprescripts>)")
    return None


# Each allowed element's name by its qualified tag; the elements _structure looks at.
_ALLOWED_NAMES = {f"{_Q}{name}": name for name in ELEMENTS}
_STRUCTURED = frozenset([*_ONLY_IN, *_COUNTED])


def sanitize(math: etree._Element, *, latex: bool = False) -> list[Refused]:
    """Why this MathML cannot be carried (element, attribute or character), or [] when it can.
    `latex`: it was made of LaTeX, so a refused attribute names the command that wrote it;
    MathML written as MathML names none and gets the hint of any attribute.

    Checks only; a caller that gets problems must not emit the element."""
    problems: list[Refused] = []
    for element in math.iter():
        tag = element.tag
        if not isinstance(tag, str):
            problems.append(Refused("math", "contains a comment or processing instruction"))
            continue
        name = _ALLOWED_NAMES.get(tag)
        if name is None:
            name = tag.rpartition("}")[2]
            problems.append(Refused(
                "math", f"contains the element <{name}>, which MathML in packages may not use"))
            continue
        if name in _STRUCTURED and (wrong := _structure(element, name)) is not None:
            problems.append(Refused("math", wrong))
        if name == "math" and element is not math:
            problems.append(Refused("math", "contains a <math> inside <math>, which MathML does "
                                    "not allow; write the inner one's content without its <math>"))
        if name not in _TOKENS and (element.text or "").strip():
            problems.append(Refused(
                "math", f"has text directly inside <{name}>; put it in <mi>, <mn>, <mo> or <mtext>"
            ))
        if element is not math and (element.tail or "").strip():
            parent = element.getparent()
            where = str(parent.tag).rpartition("}")[2] if parent is not None else name
            problems.append(Refused(
                "math", f"has text directly inside <{where}>; put it in <mi>, <mn>, <mo> or <mtext>"
            ))
        for raw_attr, raw_value in element.items():
            attr, value = str(raw_attr), str(raw_value)
            pattern = ATTRIBUTES.get(attr)
            command = _COMMAND_OF.get(attr) if latex else None
            via = f" (written with {command})" if command else ""
            if pattern is None:
                problems.append(Refused(
                    _ATTRIBUTE_KIND.get(attr, "math") if latex else "attribute",
                    f"sets the attribute {attr}= on <{name}>{via}, which is not allowed"
                ))
            elif pattern.fullmatch(value) is None:
                hint = (
                    "; use a colour name such as red or blue, or #rrggbb"
                    if pattern is _COLOR
                    else ""
                )
                problems.append(Refused(
                    "math", f"sets {attr}={value!r} on <{name}>{via}, which is not a valid value{hint}"
                ))
            elif (bounds := _out_of_bounds(attr, value)) is not None:
                problems.append(Refused(
                    "math-bounds",
                    f"sets {attr}={value!r} on <{name}>{via}, which moves or sizes the math "
                    f"further than packages allow ({bounds[0]:g}em to {bounds[1]:g}em)",
                ))
    return list(dict.fromkeys(problems))
