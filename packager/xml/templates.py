"""Trees built once per shape and copied per item (lxml copies in C, several times faster
than building element by element), filled with each item's own strings.

Writers describe an item as a spec (see Templates); the writers of large streamed documents
(QTI 1.2, Common Cartridge) build their items through it.
"""

from __future__ import annotations

import copy
import itertools
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import Any, Generic, NamedTuple, TypeVar

from lxml import etree

# Starts every placeholder string; a private-use character, so no builder writes it itself.
_PLACEHOLDER = "\ue000"

SpecT = TypeVar("SpecT", bound=tuple[Any, ...])


class Templates(Generic[SpecT]):
    """`build(spec)`, made fast by building each shape of tree only once.

    A spec is a NamedTuple (its fields may be tuples and NamedTuples) whose `str` leaves are
    the texts and attribute values of the tree and whose other leaves (None, bool, int) decide
    its structure, its *shape*. The first spec of a shape is built with a placeholder in
    place of every string, and where each placeholder lands is recorded; every spec of that
    shape is then a copy of that tree (lxml deep-copies in C, several times faster than
    building element by element) with its own strings put there. So `build` must decide the
    structure from the non-string leaves only and write every string as it is, never one
    worked out from another (such a string is a field of its own).

    `remember`: each copy is remembered until `filled` is asked about it (see there).
    """

    def __init__(
        self,
        build: Callable[[SpecT], etree._Element],
        max_shapes: int = 256,
        *,
        remember: bool = False,
    ) -> None:
        self.build = build
        self._max_shapes = max_shapes
        self._remember = remember
        self._templates: dict[Hashable, Template] = {}

    def __call__(self, spec: SpecT) -> etree._Element:
        texts: list[str] = []
        template = self.template(spec, texts)
        if template is None:  # a bank of ever new shapes
            return self.build(spec)
        filled_tree = template.fill(texts)
        if self._remember and _asked:
            made = template.filled(texts)
            with _remembering:
                _remembered[id(filled_tree)] = (filled_tree, made)
                if len(_remembered) > _REMEMBERED:
                    del _remembered[next(iter(_remembered))]  # never asked about: forgotten
        return filled_tree

    def template(self, spec: SpecT, texts: list[str]) -> Template | None:
        """The template of `spec`'s shape (built now, if the shape is new), with `spec`'s
        strings appended to `texts` in the order of its slots; None past `max_shapes`."""
        shape = _shape(spec, texts)
        template = self._templates.get(shape)
        if template is None:
            if len(self._templates) >= self._max_shapes:
                return None
            tree = self.build(_placeholders(spec, itertools.count()))
            template = self._templates[shape] = Template(tree, texts)
        return template


class Filled(NamedTuple):
    """How a tree was made: a copy of `shape`, the first tree built of its shape (which holds
    that first spec's strings, `first`), with `strings` put at `slots` (see Template)."""

    shape: etree._Element
    slots: Sequence[tuple[int, str | None, int]]
    first: Sequence[str | None]
    strings: Sequence[str]


class InPlace(NamedTuple):
    """A run of children (xml.serialize.ChildRun) made as specs of `templates`: the assembler
    fills working copies of the templates where the children go, in place, and serializes
    each child from there (packages/assemble_streamed.py), instead of copying, moving and
    freeing a tree per child. `spec(item)` None: that child is built by the run's `build`."""

    templates: Templates[Any]
    spec: Callable[[Any], Any]


# Copies made by Templates(remember=True), by id: each with the tree itself, so that no other
# tree takes its id while it is here. Only in a process where `filled` was asked: where
# nobody asks (an export under --no-validate), each copy would be held in vain, and a tree
# held elsewhere is slow to take out of the document it was put in (assemble_streamed).
_remembered: dict[int, tuple[etree._Element, Filled]] = {}
_REMEMBERED = 1024  # more than a batch of items (packages/assemble_streamed.py)
_asked = False
# Held to change `_remembered`: exports on threads of one process (the API's callers') share
# it, and a copy another thread took out between finding the oldest and forgetting it made
# that `del` a KeyError (or the look for it a RuntimeError), failing the export.
_remembering = threading.Lock()


def filled(tree: etree._Element) -> Filled | None:
    """How `tree` was made, if Templates(remember=True) returned it after `filled` was first
    asked in this process; asked once per tree.

    A check of the copies of one shape can then be worked out once, from the shape, with
    checks of what the strings can change (packages/canvas_rules.py). It stands for the tree
    only as it was returned: a caller that changes a copy must not ask about it."""
    global _asked
    _asked = True
    with _remembering:
        entry = _remembered.pop(id(tree), None)
    return entry[1] if entry is not None and entry[0] is tree else None


def _shape(spec: tuple[Any, ...], texts: list[str]) -> Hashable:
    """The structure of a spec (its strings left out, its NamedTuple types kept); appends its
    strings to `texts` depth first, the order `_placeholders` numbers them in."""
    shape: list[Any] = [type(spec)]
    for part in spec:  # leaves inline: this runs for every item
        if type(part) is str:
            texts.append(part)
            shape.append(str)
        elif isinstance(part, tuple):
            shape.append(_shape(part, texts))
        else:
            shape.append(part)  # None, bool, int
    return tuple(shape)


def _placeholders(spec: Any, counter: Iterator[int]) -> Any:
    """The spec with its n-th string (depth first) replaced by the placeholder for n."""
    if type(spec) is str:
        return f"{_PLACEHOLDER}{next(counter)}"
    if isinstance(spec, tuple):
        parts = [_placeholders(part, counter) for part in spec]
        return type(spec)(*parts) if hasattr(spec, "_fields") else tuple(parts)
    return spec


class Template:
    """The tree of one shape and its slots: where each string goes, as (position of the
    element in document order, attribute name or None for its text, number of the string).

    The tree holds the strings of the first spec of the shape and is never changed after
    (the Canvas shape rules read it). Copies are made of a working copy of it, one per
    thread, whose slots are set first: only the strings that differ from the previous
    item's (ids and labels often repeat), on elements found once, so no copy is walked.
    A caller may also keep working copies of its own (`working`) and fill them in place."""

    def __init__(self, tree: etree._Element, texts: list[str]) -> None:
        self.slots: list[tuple[int, str | None, int]] = []
        elements = list(tree.iter())
        for position, element in enumerate(elements):
            if element.text is not None and element.text.startswith(_PLACEHOLDER):
                self.slots.append((position, None, _placeholder_number(element.text)))
            for name, value in element.items():
                if str(value).startswith(_PLACEHOLDER):
                    self.slots.append((position, str(name), _placeholder_number(str(value))))
        self.tree = tree
        for position, attribute, number in self.slots:  # the first spec's strings
            if attribute is None:
                elements[position].text = texts[number]
            else:
                elements[position].set(attribute, texts[number])
        self.texts: Sequence[str | None] = texts
        self._unknown: Sequence[str | None] = [None] * len(texts)
        self._working = threading.local()

    def fill(self, texts: list[str]) -> etree._Element:
        """A copy of the tree holding `texts`: a root of its own, as `build` returns it."""
        working: Working | None = getattr(self._working, "copy", None)
        if working is None:
            working = self._working.copy = self.working()
        working.fill(texts)
        return copy.copy(working.tree)

    def working(self) -> Working:
        """A working copy of the tree of one's own (it holds the first spec's strings)."""
        return Working(self.tree, self.slots, self.texts, self._unknown)

    def filled(self, texts: Sequence[str]) -> Filled:
        """How a tree of this shape holding `texts` was made (see `filled`)."""
        return Filled(self.tree, self.slots, self.texts, texts)


class Working:
    """A copy of a template's tree, its slots' elements, and the strings they hold: filled
    in place, only where a string differs from the one it holds."""

    def __init__(
        self,
        tree: etree._Element,
        slots: Sequence[tuple[int, str | None, int]],
        texts: Sequence[str | None],
        unknown: Sequence[str | None],
    ) -> None:
        self.tree = copy.copy(tree)
        elements = list(self.tree.iter())
        self.slots = [(elements[position], attribute, number)
                      for position, attribute, number in slots]
        self.texts = texts
        self._unknown = unknown

    def fill(self, texts: Sequence[str]) -> None:
        """Put `texts` at the slots."""
        held = self.texts
        # Until every slot is set, the working tree holds neither strings: a fill that raises
        # halfway (a Ctrl-C on an API caller's thread) makes the next one set every slot.
        self.texts = self._unknown
        for element, attribute, number in self.slots:
            text = texts[number]
            if text != held[number]:
                if attribute is None:
                    element.text = text
                else:
                    element.set(attribute, text)
        self.texts = texts


def _placeholder_number(text: str) -> int:
    try:
        return int(text[len(_PLACEHOLDER):])
    except ValueError:  # the builder changed or combined a string: it would not be filled
        raise ValueError(f"a template builder wrote {text!r}, not a spec string") from None
