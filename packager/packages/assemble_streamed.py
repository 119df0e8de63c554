"""Streamed documents (StreamedXml) assembled in batches of children.

A batch is put in place of its slot marker, the shell is validated and serialized with it, and
the batch's bytes are cut out, so a 50,000-question file never exists as one tree, yet its bytes
are exactly what the whole tree gives. Consecutive small runs (a section each) share a batch:
their children go just before their markers, and each marker's line ends their bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from packager.packages.assemble_checks import Checker, tree_errors
from packager.packages.base import ChildReports, StreamedXml
from packager.xml.serialize import SLOT_PREFIX

if TYPE_CHECKING:
    from packager.packages.assemble_zip import Write
    from packager.xml.templates import Template, Working

BATCH = 256  # children per validation and serialization call
# Where a shell has more runs than BATCH * SHELL_SHARE, a batch holds up to runs / SHELL_SHARE
# children: each batch validates and serializes the whole shell, which grows with the runs,
# so batches of BATCH made that quadratic in the sections. Eight keep two processes busy
# (assemble.MIN_PARALLEL_BATCHES) and a batch's trees a fraction of the document's.
SHELL_SHARE = 8
# The most runs (slot markers) a shell has that each batch is built into a copy of (Shell).
COPIED_SLOTS = 64
# A built batch: per part (a slice of one run), its bytes and its children's reports
# (StreamedXml.check); and the batch's validation errors.
Built = tuple[list[bytes], list[str], list[list[Any]]]
# Built batches, in order; a process pool's map.
Results = Callable[[list["Batch"]], Iterator[Built]]


@dataclass(frozen=True)
class Batch:
    """Up to BATCH children of a document (more where its runs are many: SHELL_SHARE):
    slices (run, start, stop) of consecutive runs, each of BATCH children at most.
    Small runs go together (a document of one run per section would otherwise validate
    and serialize its whole shell once per section: quadratic in the sections)."""

    path: str
    parts: tuple[tuple[int, int, int], ...]


def batches_of(doc: StreamedXml, path: str) -> list[Batch]:
    slices = [
        (index, start, min(start + BATCH, len(run.items)))
        for index, run in enumerate(doc.slots)
        for start in range(0, len(run.items), BATCH)
    ]
    most = max(BATCH, len(doc.slots) // SHELL_SHARE)
    batches: list[Batch] = []
    group: list[tuple[int, int, int]] = []
    size = 0
    for part in slices:
        if group and size + part[2] - part[1] > most:
            batches.append(Batch(path, tuple(group)))
            group, size = [], 0
        group.append(part)
        size += part[2] - part[1]
    if group:
        batches.append(Batch(path, tuple(group)))
    return batches


# The most nodes, and bytes, a shell has whose runs' children are filled in place
# (xml.templates.InPlace): each child is validated and serialized with the whole shell around
# it. Bytes too: a bank's and its groups' titles may each be 100,000 characters, which every
# child would then serialize again: time and memory growing with items times titles.
IN_PLACE_SHELL = 64
IN_PLACE_SHELL_BYTES = 8192


@dataclass
class Layout:
    """Where a shell's serialization is cut: the bytes and each run's marker span; and
    whether its children are filled in place (every run can be, and the shell is small: in
    nodes and in bytes)."""

    shell: bytes
    spans: list[tuple[int, int]]
    in_place: bool = False

    @classmethod
    def of(cls, doc: StreamedXml) -> Layout:
        from packager.xml.serialize import to_bytes

        shell = to_bytes(doc.root)
        spans: list[tuple[int, int]] = []
        position = 0
        for run in doc.slots:
            needle = f"<!--{run.marker.text}-->".encode()
            begin = shell.index(needle, position)
            position = begin + len(needle)
            spans.append((begin, position))
        in_place = (all(run.in_place is not None for run in doc.slots)
                    and len(shell) <= IN_PLACE_SHELL_BYTES
                    and sum(1 for _ in doc.root.iter()) <= IN_PLACE_SHELL)
        return cls(shell, spans, in_place)


def write_streamed(
    doc: StreamedXml,
    path: str,
    checker: Checker,
    write: Write,
    results: Results | None = None,
) -> None:
    layout = Layout.of(doc)
    shell = layout.shell
    schema = checker.schema(doc.schema)
    position = 0  # how much of the shell is written
    batches = batches_of(doc, path)
    rule = checker.rule(doc)
    if results is None:
        done: Iterator[Built] = (
            build_batch(doc, layout, b, schema, checker.limit, rule) for b in batches
        )
    else:
        done = results(batches)

    def parts_done() -> Iterator[tuple[bytes, list[Any]]]:
        for datas, errors, found in done:
            checker.add(errors)
            yield from zip(datas, found, strict=True)

    parts = parts_done()
    reports: list[list[Any]] = []
    for index, run in enumerate(doc.slots):
        begin, end = layout.spans[index]
        before = shell[position:begin]  # ends with the newline and indentation of the slot
        if not run.items:  # an empty run: no blank line where it would have been
            write(before[: before.rindex(b"\n")])
        reports.append([])
        for start in range(0, len(run.items), BATCH):
            data, found = next(parts)
            reports[-1].extend(found)
            write(before if start == 0 else before[before.rindex(b"\n") :])
            write(data)
        position = end
    if not batches:
        checker.check(schema, doc.root, path)
    if rule is not None:
        checker.reports[path] = ChildReports(doc.root, [r.marker for r in doc.slots], reports)
    write(shell[position:])


def build_batch(
    doc: StreamedXml,
    layout: Layout,
    batch: Batch,
    schema: Any,
    limit: int,
    rule: Callable[..., Any] | None,
) -> Built:
    """Build one batch of children at their markers; per part, their bytes as the whole
    document would serialize them there and what `rule` reports of each child (nothing
    without a rule); and the validation errors (named by child) if any."""
    if layout.in_place:
        return _InPlace(doc, layout, batch.path, schema, limit, rule).batch(batch.parts)
    built: list[tuple[int, list[Any]]] = []
    reports: list[list[Any]] = []
    for index, start, stop in batch.parts:
        run = doc.slots[index]
        children = [run.build(item) for item in run.items[start:stop]]
        built.append((index, children))
        # On the trees, where they are built: the export's self-check then never parses them.
        reports.append([] if rule is None else [rule(batch.path, child) for child in children])
    datas, errors = _placed(Shell.of(doc), layout, built, schema, limit, batch.path)
    return datas, errors[:limit], reports


def _placed(shell: Shell, layout: Layout, built: list[tuple[int, list[Any]]], schema: Any,
            limit: int, path: str) -> tuple[list[bytes], list[str]]:
    """The bytes of several runs' children, and the errors found in them: all together,
    else (the shell with them invalid) each half so, down to a run alone, which names the
    children at fault. Halving, a batch of thousands of small runs (a section each) with
    one run at fault validates the shell a few dozen times, not once per run: the shell
    grows with the runs, so placing each alone was quadratic in the sections."""
    if len(built) > 1:
        together = _together(shell, layout, built, schema, limit, path)
        if together is not None:
            return together, []
        half = len(built) // 2
        datas, errors = _placed(shell, layout, built[:half], schema, limit, path)
        more_datas, more_errors = _placed(shell, layout, built[half:], schema, limit, path)
        return datas + more_datas, errors + more_errors
    ((index, children),) = built
    data, errors = _alone(shell, layout, index, children, schema, limit, path)
    return [data], errors


class _InPlace:
    """build_batch of a document whose children are filled in place: each child that is a
    template's copy is filled into a working copy of its template that stands in place of
    its run's marker in a copy of the shell of its own (one per template and run, made for
    the batch), validated and serialized there, and its bytes cut out; so no tree is copied,
    moved into the shell, taken out and freed per child. The other children are built and
    placed as build_batch places them, each group of them between two filled children at
    once. The rule gets a filled child's `Filled` record (xml.templates.filled) as well."""

    def __init__(self, doc: StreamedXml, layout: Layout, path: str, schema: Any, limit: int,
                 rule: Callable[..., Any] | None) -> None:
        self.doc, self.layout, self.path = doc, layout, path
        self.schema, self.limit, self.rule = schema, limit, rule
        self.hosts: dict[tuple[int, Template], _Host] = {}
        self.shell: Shell | None = None  # for the children built as trees
        self.errors: list[str] = []

    def batch(self, parts: tuple[tuple[int, int, int], ...]) -> Built:
        datas: list[bytes] = []
        reports: list[list[Any]] = []
        for index, start, stop in parts:
            data, found = self._part(index, start, stop)
            datas.append(data)
            reports.append(found)
        return datas, self.errors[: self.limit], reports

    def _part(self, index: int, start: int, stop: int) -> tuple[bytes, list[Any]]:
        from packager.xml.serialize import to_bytes

        run, rule, path = self.doc.slots[index], self.rule, self.path
        assert run.in_place is not None
        templates, spec_of = run.in_place
        shell = self.layout.shell
        begin, end = self.layout.spans[index]
        tail = len(shell) - end
        pieces: list[bytes | memoryview] = []
        found: list[Any] = []
        trees: list[Any] = []  # built as trees, not yet placed
        for item in run.items[start:stop]:
            spec = spec_of(item)
            texts: list[str] = []
            template = None if spec is None else templates.template(spec, texts)
            if template is None:
                child = run.build(item)
                trees.append(child)
                if rule is not None:
                    found.append(rule(path, child))
                continue
            if trees:
                pieces.append(self._placed(index, trees))
            host = self.hosts.get((index, template))
            if host is None:
                host = self.hosts[index, template] = _Host.of(self.doc, index, template)
            working = host.working
            working.fill(texts)
            if rule is not None:
                found.append(rule(path, working.tree, template.filled(texts)))
            if self._errors(host.root, path):
                self.errors.extend(self._errors(host.root, f"{path} ({_label(working.tree)})"))
            whole = to_bytes(host.root)
            pieces.append(memoryview(whole)[begin : len(whole) - tail])
        if trees:
            pieces.append(self._placed(index, trees))
        # Between two children of a run: the newline and indentation before its marker.
        return shell[shell.rindex(b"\n", 0, begin) : begin].join(pieces), found

    def _errors(self, root: Any, where: str) -> list[str]:
        return tree_errors(self.schema, root, where, self.limit - len(self.errors))

    def _placed(self, index: int, trees: list[Any]) -> bytes:
        """The bytes of children built as trees, placed in the shell at once (emptied)."""
        self.shell = self.shell or Shell.of(self.doc)
        data, errors = _alone(self.shell, self.layout, index, trees, self.schema,
                              self.limit - len(self.errors), self.path)
        self.errors.extend(errors)
        return data


@dataclass(frozen=True)
class _Host:
    """A copy of a document's shell made on this thread with a working copy of a template
    (xml.templates.Working) in place of one run's marker."""

    root: Any
    working: Working

    @classmethod
    def of(cls, doc: StreamedXml, index: int, template: Template) -> _Host:
        import copy

        root = copy.deepcopy(doc.root)
        marker = _markers(root)[str(doc.slots[index].marker.text)]
        working = template.working()
        parent: Any = marker.getparent()
        parent.replace(marker, working.tree)
        return cls(root, working)


def _markers(root: Any) -> dict[str, Any]:
    """A shell's slot markers by their text (unique within its document: serialize.child_run)."""
    from lxml import etree

    return {str(c.text): c for c in root.iter(etree.Comment)
            if str(c.text).startswith(SLOT_PREFIX)}


def _label(child: Any) -> str:
    """What names a child in the errors found in it."""
    return str(child.get("ident") or child.get("identifier") or child.tag)


@dataclass(frozen=True)
class Shell:
    """A copy of a document's shell made on this thread, and its slot markers in order (the
    shell itself where it has more than COPIED_SLOTS runs: see `of`).

    The children of a batch are copies of templates made on this thread (xml/templates.py),
    in lxml's string dictionary of this thread. Put into a shell of another thread's (the
    writer's, or the parent process's), lxml looks up every element and attribute name of
    every child again in that dictionary: about a fifth more instructions to build, place
    and take out an item. A copy of the shell here shares their dictionary; it serializes
    and validates as the shell does."""

    root: Any
    markers: list[Any]

    @classmethod
    def of(cls, doc: StreamedXml) -> Shell:
        if len(doc.slots) > COPIED_SLOTS:
            # The document's own shell: one of many runs (a section each) is as large as a
            # batch's children, and copying it for every batch cost more than it saves (a
            # QTI 1.2 export of 10,000 sections of two questions: 18 CPU-s against 9).
            return cls(doc.root, [run.marker for run in doc.slots])
        import copy

        root = copy.deepcopy(doc.root)
        found = _markers(root)
        return cls(root, [found[str(run.marker.text)] for run in doc.slots])


def _alone(
    shell: Shell,
    layout: Layout,
    index: int,
    children: list[Any],
    schema: Any,
    limit: int,
    path: str,
) -> tuple[bytes, list[str]]:
    """One run's children in place of its marker: their bytes, and the errors found.
    `children` is emptied: they are freed as they leave the shell."""
    from packager.xml.serialize import to_bytes

    marker = shell.markers[index]
    parent: Any = marker.getparent()
    at = parent.index(marker)
    parent[at : at + 1] = children  # in place of the marker
    errors: list[str] = []
    whole = b""
    try:
        if tree_errors(schema, shell.root, path, limit):
            errors = _locate_errors(shell, parent, at, children, schema, path)[:limit]
        whole = to_bytes(shell.root)
    finally:
        count = len(children)
        # The batch's last references to its children dropped first (the caller's list is
        # this one): lxml then frees each child as it takes it out, where a child still
        # referenced was first moved to a document of its own, every element of it visited.
        children.clear()
        _take_out(parent, at, count, len(whole) - len(layout.shell))
        parent.insert(at, marker)
    begin, end = layout.spans[index]
    return whole[begin : len(whole) - (len(layout.shell) - end)], errors


_SLOT = f"<!--{SLOT_PREFIX}".encode()


def _together(
    shell: Shell,
    layout: Layout,
    built: list[tuple[int, list[Any]]],
    schema: Any,
    limit: int,
    path: str,
) -> list[bytes] | None:
    """The bytes of several runs' children from one validation and one serialization:
    each run's children go just before its marker, whose line then ends their bytes. None
    when the shell with them is invalid (each run is then placed alone, to name the
    children at fault), or when a child's bytes hold a marker's text (where they end could
    not be told)."""
    from packager.xml.serialize import to_bytes

    placed: list[tuple[Any, Any, int]] = []
    whole = b""
    try:
        for index, children in built:
            marker = shell.markers[index]
            parent: Any = marker.getparent()
            at = parent.index(marker)
            parent[at:at] = children
            placed.append((parent, marker, len(children)))
        if tree_errors(schema, shell.root, path, limit):
            return None
        whole = to_bytes(shell.root)
    finally:
        serialized = layout.shell
        # Cut at the markers only when the shell's markers are all the markers: else (or
        # invalid) each run is placed again, so its children leave whole, not taken apart.
        cut = whole.count(_SLOT) == serialized.count(_SLOT)
        # The children's bytes, shared out by count: what _take_out needs is their size.
        grown = len(whole) - len(serialized) if cut else 0
        total = max(1, sum(count for _, _, count in placed))
        for parent, marker, count in placed:
            at = parent.index(marker)
            _take_out(parent, at - count, count, grown * count // total)
    if not cut:
        return None
    # whole = shell[:b1] D1 shell[line1:b2] D2 … Dn shell[line_n:], where b is where a
    # marker starts in the shell and line where the line it stands on starts.
    begins = [layout.spans[index][0] for index, _ in built]
    position = begins[0]
    datas: list[bytes] = []
    for k, begin in enumerate(begins):
        line = serialized.rindex(b"\n", 0, begin)
        if k + 1 < len(begins):
            following = serialized[line : begins[k + 1]]
            end = whole.find(following, position)
        else:
            following = serialized[line:]
            end = len(whole) - len(following) if whole.endswith(following) else -1
        if end < position:
            return None
        datas.append(whole[position:end])
        position = end + len(following)
    return datas


# A child of this many bytes (about 10,000 elements) is taken apart before it leaves the shell.
_LARGE_CHILD = 1 << 18


def _take_out(parent: Any, at: int, count: int, size: int) -> None:
    """Take `count` children out of the shell from `at`; `size`: their bytes (0 unknown).

    lxml takes time quadratic in a subtree's size to move it out of its document: a QTI 1.2
    matching question of 400 pairs (160,000 response labels) took 40 s. Children that large
    on average are first taken apart from their leaves up, one element per move."""
    if size > _LARGE_CHILD * count:
        for child in parent[at : at + count]:
            for element in reversed(list(child.iter())):
                holder = element.getparent()
                if element is not child and holder is not None:
                    holder.remove(element)
    del parent[at : at + count]


def _locate_errors(
    shell: Shell, parent: Any, at: int, children: list[Any], schema: Any, path: str
) -> list[str]:
    """A batch failed: validate its children one by one, to name the ones at fault."""
    errors: list[str] = []
    del parent[at : at + len(children)]
    try:
        for child in children:
            parent.insert(at, child)
            errors.extend(tree_errors(schema, shell.root, f"{path} ({_label(child)})"))
            parent.remove(child)
    finally:
        parent[at:at] = children
    return errors
