"""XPaths of many elements of one tree, as lxml's `getpath` writes them, in linear time.

`getpath` counts an element's preceding siblings of its name to write its index, so locating
each of n sibling items (a Blackboard pool of 10,000 questions in one section) took O(n²):
five of fifteen seconds of that import. Here each parent's children are counted once.
"""

from __future__ import annotations

from lxml import etree


class ElementPaths:
    """`paths(element)`: the element's XPath, `/a/b[2]/c` (an index only where the parent has
    more than one child of that name), for elements without namespaces."""

    def __init__(self, tree: etree._ElementTree) -> None:
        self._tree = tree
        self._paths: dict[etree._Element, str] = {}
        self._steps: dict[etree._Element, dict[etree._Element, str]] = {}

    def __call__(self, element: etree._Element) -> str:
        known = self._paths.get(element)
        if known is not None:
            return known
        parent = element.getparent()
        if parent is None:
            path = self._tree.getpath(element)
        else:
            steps = self._steps.get(parent)
            if steps is None:
                steps = self._steps[parent] = child_steps(parent)
            path = f"{self(parent)}/{steps[element]}"
        self._paths[element] = path
        return path


def child_steps(parent: etree._Element) -> dict[etree._Element, str]:
    """Each child element's last step: its name, and its index among the children of that
    name when there are several."""
    children = [child for child in parent if isinstance(child.tag, str)]
    count: dict[str, int] = {}
    for child in children:
        count[child.tag] = count.get(child.tag, 0) + 1
    seen: dict[str, int] = {}
    steps: dict[etree._Element, str] = {}
    for child in children:
        tag = child.tag
        if count[tag] > 1:
            seen[tag] = seen.get(tag, 0) + 1
            steps[child] = f"{tag}[{seen[tag]}]"
        else:
            steps[child] = tag
    return steps
