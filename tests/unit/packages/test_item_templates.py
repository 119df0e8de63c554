"""Items built as filled copies of a per-shape template (xml.templates.Templates) are the
items their builder makes directly, also when the template was made from another question.

The fixture banks hold one question per shape, so every question is paired with a variant of
the same shape whose every id and text differs (`_variant`): whichever of the two comes first
makes the template the other is filled into.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from lxml import etree

from packager.model import Question
from packager.model.questions import MultipleResponse, SingleChoice
from packager.writers import blackboard, cc_qti, qti12_items
from packager.xml.templates import Templates, _shape

BANKS = ("sample-all-types", "qti12-groups", "qti2-edge-cases")
_TEXTS = {
    "prompt", "scenario", "explanation", "text", "title", "correct", "incorrect",
    "feedback_true", "feedback_false",
}


def _vary(value: Any, key: str | None = None) -> Any:
    if isinstance(value, dict):
        return {k: _vary(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_vary(v, key) for v in value]
    if isinstance(value, str) and key == "id":
        return f"{value}-v"
    if isinstance(value, str) and key in _TEXTS:
        return f"{value} (v)"
    return value


def _variant(question: Question) -> Question:
    """The same question with every id and text changed, and so every string of its item."""
    return type(question).model_validate(_vary(question.model_dump()))


_BLACKBOARD_CHOICES = (SingleChoice, MultipleResponse)


def _specs(load_bank: Callable[[str], Any], writer: str) -> list[list[tuple[Any, ...]]]:
    """Per question: the specs of it and of its variant, for the given writer's items."""
    pairs = []
    for name in BANKS:
        bank = load_bank(name).bank
        for question in bank.questions:
            both = (question, _variant(question))
            if writer == "cc" and question.type in cc_qti.SUPPORTED:
                cc = cc_qti.AssessmentWriter(bank, lambda src: src)
                pairs.append([cc.spec(q) for q in both])
            if writer == "qti12" and isinstance(question, qti12_items.CHOICE_TYPES):
                pairs.append([qti12_items._choice_item(bank, q) for q in both])
            if writer == "blackboard" and isinstance(question, _BLACKBOARD_CHOICES):
                pool = blackboard.PoolWriter(bank)
                pairs.append([pool.choice_spec(q) for q in both])
    return pairs


BUILDERS: dict[str, Callable[[Any], etree._Element]] = {
    "blackboard": blackboard._build_choice_item,
    "cc": cc_qti._build_item,
    "qti12": qti12_items._build_choice_item,
}


@pytest.mark.parametrize("writer", sorted(BUILDERS))
@pytest.mark.parametrize("first", [0, 1])
def test_a_filled_template_is_the_built_item(load_bank, writer: str, first: int) -> None:
    build = BUILDERS[writer]
    pairs = _specs(load_bank, writer)
    assert pairs
    templates = Templates(build)
    for pair in pairs:
        for spec in (pair[first], pair[1 - first]):
            assert etree.tostring(templates(spec)) == etree.tostring(build(spec))
    # One template per shape; a variant has the shape of its question, but for ids that made
    # feedback idents collide (qti12-groups' mc-awkward has a choice 'correct').
    shapes = {_shape(spec, []) for pair in pairs for spec in pair}
    assert len(templates._templates) == len(shapes) <= len(pairs) + 1


class _Pair(NamedTuple):
    name: str
    value: str
    flag: bool


def _element(spec: _Pair) -> etree._Element:
    element = etree.Element("pair", {"name": spec.name})
    element.text = spec.value
    if spec.flag:
        etree.SubElement(element, "flag")
    return element


def test_strings_and_structure() -> None:
    templates = Templates(_element)
    for spec in (_Pair("a", "x", True), _Pair("b", "y", True), _Pair("a", "z", False)):
        assert etree.tostring(templates(spec)) == etree.tostring(_element(spec))
    assert len(templates._templates) == 2


def test_a_string_worked_out_in_the_builder_is_refused() -> None:
    def derived(spec: _Pair) -> etree._Element:
        return etree.Element("pair", {"name": f"{spec.name}_fb"})

    with pytest.raises(ValueError, match="not a spec string"):
        Templates(derived)(_Pair("a", "x", False))


def test_past_the_shape_limit_items_are_built_directly() -> None:
    built: list[_Pair] = []

    def counting(spec: _Pair) -> etree._Element:
        built.append(spec)
        return _element(spec)

    templates = Templates(counting, max_shapes=1)
    templates(_Pair("a", "x", True))
    templates(_Pair("a", "x", False))  # a second shape: built from the spec itself
    assert built[-1] == _Pair("a", "x", False)
    assert len(templates._templates) == 1


def test_a_remembered_copy_tells_how_it_was_made_once() -> None:
    from packager.xml import templates as module

    filled = module.filled
    templates = Templates(_element, remember=True)
    filled(etree.Element("any"))  # asked once: copies are remembered from then on
    first = templates(_Pair("a", "x", True))
    copy = templates(_Pair("b", "y", True))
    made = filled(copy)
    assert made is not None and list(made.strings) == ["b", "y"]
    assert list(made.first) == ["a", "x"] and made.shape.get("name") == "a"
    assert filled(copy) is None  # asked once
    assert filled(_element(_Pair("b", "y", True))) is None  # not a copy
    assert filled(Templates(_element)(_Pair("c", "z", True))) is None  # not remembered
    assert filled(first) is not None


def test_copies_never_asked_about_are_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    from packager.xml import templates as module

    monkeypatch.setattr(module, "_remembered", {})
    monkeypatch.setattr(module, "_asked", True)
    templates = Templates(_element, remember=True)
    copies = [templates(_Pair("a", str(n), False)) for n in range(module._REMEMBERED + 1)]
    assert len(module._remembered) == module._REMEMBERED
    assert module.filled(copies[0]) is None and module.filled(copies[-1]) is not None


def test_a_copy_asked_about_on_another_thread_as_it_is_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Exports on threads of one process share the remembered copies: one asked about on
    # another thread between the oldest being found and being forgotten made that a KeyError.
    import threading

    from packager.xml import templates as module

    askers: list[threading.Thread] = []

    class Racing(dict[int, Any]):
        def __delitem__(self, key: int) -> None:
            asker = threading.Thread(target=module.filled, args=(self[key][0],))
            asker.start()
            asker.join(0.2)  # at once, unless it must wait for this thread
            askers.append(asker)
            super().__delitem__(key)

    monkeypatch.setattr(module, "_remembered", Racing())
    monkeypatch.setattr(module, "_asked", True)
    templates = Templates(_element, remember=True)
    copies = [templates(_Pair("a", str(n), False)) for n in range(module._REMEMBERED + 2)]
    for asker in askers:
        asker.join()
    assert len(module._remembered) == module._REMEMBERED
    assert module.filled(copies[-1]) is not None


def _twice(spec: _Pair) -> etree._Element:
    """A spec string in two places, as a choice's ident in its label and in the key."""
    element = _element(spec)
    etree.SubElement(element, "key").text = spec.name
    return element


def test_each_copy_holds_its_own_strings_whatever_came_before() -> None:
    """Copies are made from a working tree that keeps the previous item's strings: a string
    back to the first spec's, a string at two slots, a copy changed by its caller."""
    templates = Templates(_twice, remember=True)
    specs = [_Pair("a", "x", True), _Pair("b", "x", True), _Pair("a", "y", True),
             _Pair("a", "x", True), _Pair("c", "c", True)]
    for spec in specs:
        copy = templates(spec)
        assert etree.tostring(copy) == etree.tostring(_twice(spec))
        copy.set("name", "changed by the caller")
        copy[0].text = "changed"
    (template,) = templates._templates.values()
    assert etree.tostring(template.tree) == etree.tostring(_twice(specs[0]))  # the shape rules'


def test_threads_fill_one_template_at_once() -> None:
    import threading

    templates = Templates(_twice)
    templates(_Pair("first", "0", False))
    start = threading.Barrier(4)
    wrong: list[str] = []

    def fill(thread: int) -> None:
        start.wait()
        for n in range(2000):
            spec = _Pair(f"t{thread}", str(n % 7), False)
            if etree.tostring(templates(spec)) != etree.tostring(_twice(spec)):
                wrong.append(f"{thread}: {spec}")

    threads = [threading.Thread(target=fill, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_a_fill_stopped_halfway_leaves_no_string_behind() -> None:
    """A fill that raised between two slots (a KeyboardInterrupt on an API caller's thread;
    here a string lxml refuses) left its first strings on the thread's working tree, which
    the next copies kept where their own string matched the previous item's."""
    templates = Templates(_twice)
    templates(_Pair("a", "x", True))
    with pytest.raises(ValueError):
        templates(_Pair("b", "\x01", True))  # name "b" set, then the key refused
    assert etree.tostring(templates(_Pair("a", "x", True))) == etree.tostring(
        _twice(_Pair("a", "x", True))
    )
