"""XPaths of many elements of one tree (as lxml's `getpath`, or of local names), in linear time.

`getpath` counts an element's preceding siblings of its name to write its index, so locating
each of n sibling items (a Blackboard pool of 10,000 questions in one section) took O(n²):
five of fifteen seconds of that import; counting them again for each noted element of a QTI
2.x item did the same. Here each parent's children are counted once.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree


class ElementPaths:
    """`paths(element)`: a readable XPath of an element, `/a/b[2]/c` (an index only where the
    parent has more than one child of that name). Names are the tags, as lxml's `getpath`
    writes them for a document without namespaces, or what `name` gives (the local names of
    a QTI 2.x document: `/assessmentItem/itemBody/div[2]`).

    The QTI 2.x readers edit the tree as they read it (an interaction leaves the body, a
    prompt moves out of its interaction): an element keeps the step it had when its parent's
    children were first numbered, so siblings noted one after another, each then removed,
    are numbered as in the source; an element that arrived since is numbered on arrival."""

    def __init__(self, name: Callable[[etree._Element], str] | None = None) -> None:
        self._name = name or _tag
        self._steps: dict[etree._Element, dict[etree._Element, str]] = {}

    def __call__(self, element: etree._Element) -> str:
        steps: list[str] = []
        node: etree._Element | None = element
        while node is not None:
            parent = node.getparent()
            if parent is None:
                steps.append(self._name(node))
                break
            known = self._steps.get(parent)
            if known is None or node not in known:
                fresh = child_steps(parent, self._name)
                known = self._steps[parent] = fresh if known is None else fresh | known
            steps.append(known.get(node) or self._name(node))  # a comment: no step of its own
            node = parent
        return "/" + "/".join(reversed(steps))


def _tag(element: etree._Element) -> str:
    return str(element.tag)


def child_steps(
    parent: etree._Element, name: Callable[[etree._Element], str] = _tag
) -> dict[etree._Element, str]:
    """Each child element's last step: its `name` (its tag unless told), and its index among
    the children of that name when there are several."""
    children = [child for child in parent if isinstance(child.tag, str)]
    names = [name(child) for child in children]
    count: dict[str, int] = {}
    for tag in names:
        count[tag] = count.get(tag, 0) + 1
    seen: dict[str, int] = {}
    steps: dict[etree._Element, str] = {}
    for child, tag in zip(children, names, strict=True):
        if count[tag] > 1:
            seen[tag] = seen.get(tag, 0) + 1
            steps[child] = f"{tag}[{seen[tag]}]"
        else:
            steps[child] = tag
    return steps
