"""Canonical JSON → Bank: JSON syntax, then the published JSON Schema, then the model's rules.

Every problem is reported (not only the first) with file, line, JSON pointer and question id.
"""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from packager.diagnostics import Diagnostic, Severity
from packager.limits import MAX_BANK_BYTES
from packager.model import Bank, InvariantError, Problem
from packager.model.questions import BOUND_HINTS
from packager.model.types import SLUG_PATTERN
from packager.readers.base import Source
from packager.readers.encoding import not_text
from packager.readers.jsonpos import MAX_DEPTH, Fault, PointerIndex, find_fault

NAME = "json"


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from packager.schema import load_published

    schema = load_published()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


class Located:
    """Turns pointers into diagnostics with line numbers, scanning the text only if needed."""

    def __init__(self, source: Source, data: Any) -> None:
        self.source = source
        self.data = data
        self._index: PointerIndex | None = None

    @property
    def text(self) -> str:
        # Decoded only when a diagnostic needs a line (the pointer index then holds it):
        # holding the decoded text of a large bank (4 bytes a character once it contains an
        # emoji) would double its memory.
        return self.source.data.decode("utf-8-sig")

    def release(self) -> None:
        """Keep only what locating needs (question ids), once the model holds the content."""
        questions = self.data.get("questions") if isinstance(self.data, dict) else None
        if isinstance(questions, list):
            ids = [{"id": q.get("id")} if isinstance(q, dict) else {} for q in questions]
            self.data = {"questions": ids}

    def _where(self, pointer: str) -> tuple[int, int] | None:
        if self._index is None:
            self._index = PointerIndex(self.text)
        return self._index.position(pointer)

    def line_of(self, pointer: str) -> int | None:
        """The line of the text the pointer's value is on."""
        where = self._where(pointer)
        return where[0] if where else None

    def question_id(self, pointer: str) -> str | None:
        parts = pointer.split("/")
        if len(parts) >= 3 and parts[1] == "questions" and parts[2].isdigit():
            try:
                qid = self.data["questions"][int(parts[2])]["id"]
            except (KeyError, IndexError, TypeError):
                return None
            return qid if isinstance(qid, str) else None
        return None

    def diagnostic(
        self,
        code: str,
        pointer: str,
        message: str,
        hint: str | None = None,
        *,
        severity: Severity = Severity.ERROR,
        question_id: str | None = None,
    ) -> Diagnostic:
        where = self._where(pointer)
        return Diagnostic(
            code=code,
            message=message,
            severity=severity,
            file=self.source.name,
            line=where[0] if where else None,
            column=where[1] if where else None,
            pointer=pointer,
            question_id=question_id or self.question_id(pointer),
            hint=hint,
        )

    def problem(self, problem: Problem) -> Diagnostic:
        return self.diagnostic(
            problem.code,
            problem.pointer,
            problem.message,
            problem.hint,
            severity=Severity.ERROR if problem.is_error else Severity.WARNING,
            question_id=problem.question_id,
        )


@dataclass(frozen=True)
class ReadResult:
    bank: Bank | None  # None when it could not be built; check diagnostics for errors
    diagnostics: list[Diagnostic]
    located: Located | None  # for later checks to locate their problems in the same text


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off inside (reference counting still frees), unless it
    was off already. For building a large tree of objects without reference cycles."""
    # json and pydantic build a bank as a large tree of containers with no reference cycles,
    # and every full collection their allocations trigger rescans all of it: about 0.15 s of
    # loading a 10,000-question bank. Reference counting still frees the temporaries (and the
    # few cycles of a broken bank's error reports wait only until the collector resumes, which
    # then scans the finished tree once). A collector that is already off stays off.
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def read(source: Source, on_parsed: Callable[[Any], None] | None = None) -> ReadResult:
    """Parse and validate; every diagnostic, and the Bank when there was no error.
    `on_parsed` is handed the parsed JSON value before the model is built from it (the
    pipeline starts rendering its texts then: render_pool.EarlyRendering)."""
    with gc_paused():
        return _read(source, on_parsed)


def _read(source: Source, on_parsed: Callable[[Any], None] | None = None) -> ReadResult:
    if len(source.data) > MAX_BANK_BYTES:
        return ReadResult(None, [_too_large(source)], None)
    try:
        text = source.data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # JSON is UTF-8 (RFC 8259): no other is read
        return ReadResult(None, [not_text(source.data, exc, source.name, "E-ENCODING")], None)
    data, problem = _parse(text, source.name)
    if problem is not None:
        return ReadResult(None, [problem], None)
    del text
    if on_parsed is not None:
        on_parsed(data)
    located = Located(source, data)
    # The models mirror the published schema (tests/test_schema.py keeps them in step), so a
    # bank the models accept is schema-valid. Pydantic (Rust) checks a 10,000-question bank in
    # a fraction of jsonschema's time; jsonschema runs only when something is wrong, so its
    # schema-level messages come first, as the contract promises.
    try:
        checked = no_unsafe_characters(source.data)
        bank, diagnostics, refusal = _model_from_data(data, located, checked)
        if refusal is not None:
            schema_diags = schema_diagnostics(data, located, refusal.flagged)
            if schema_diags:
                return ReadResult(None, schema_diags, located)
            diagnostics = _pydantic_diagnostics(refusal.errors, data, located)
    except RecursionError:
        # json reads nesting some hundreds deep, which the error reports then recurse through.
        return ReadResult(None, [_limit_diagnostic(find_fault(located.text), source.name)], None)
    if bank is not None:
        del data
        located.release()
    return ReadResult(bank, diagnostics, located)


def _too_large(source: Source) -> Diagnostic:
    return Diagnostic(
        "E-TOO-LARGE",
        f"the file is {len(source.data) / 2**20:,.0f} MiB; a bank may be at most "
        f"{MAX_BANK_BYTES // 2**20} MiB",
        file=source.name,
        hint="split it into several banks (each is exported on its own)",
    )


def _parse(text: str, name: str) -> tuple[Any, Diagnostic | None]:
    """The JSON value, or the one diagnostic that says why the text is not acceptable JSON."""
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant
        ), None
    except json.JSONDecodeError as exc:
        return None, Diagnostic(
            "E-JSON-SYNTAX",
            f"invalid JSON: {exc.msg}",
            file=name,
            line=exc.lineno,
            column=exc.colno,
            hint="check for a missing comma, quote or bracket just before this position",
        )
    except _DuplicateKey as exc:
        return None, Diagnostic(
            "E-DUPLICATE-KEY",
            f"the key {exc.key!r} appears twice in the same object",
            file=name,
            line=_key_line(text, exc.key),
            hint="JSON keeps only the last value; remove the repeated key",
        )
    except (ValueError, RecursionError):
        # NaN/Infinity (refused by _no_constant), an integer longer than int() converts, or
        # nesting deeper than the parser's recursion: the json module does not say where.
        return None, _limit_diagnostic(find_fault(text), name)


class _NonFinite(ValueError):
    pass


def _no_constant(literal: str) -> Any:
    raise _NonFinite(literal)


_FAULTS = {
    "non-finite": (
        "E-JSON-SYNTAX",
        "{token} is not a JSON number",
        "write a finite number such as 0 or 2.5; JSON has no NaN or Infinity",
    ),
    "digits": (
        "E-JSON-LIMIT",
        "the integer {token} has more digits than can be read",
        "numbers in a bank are at most 1e15 in magnitude",
    ),
    "depth": (
        "E-JSON-LIMIT",
        f"JSON nested more than {MAX_DEPTH} levels deep",
        "a bank needs at most 6 levels of nesting; look for unclosed brackets here",
    ),
}


def _limit_diagnostic(fault: Fault | None, name: str) -> Diagnostic:
    if fault is None:  # not expected: find_fault looks for every case _parse catches
        return Diagnostic(
            "E-JSON-LIMIT",
            "the JSON cannot be read (a number or nesting beyond the parser's limits)",
            file=name,
            hint="look for an over-long number or deeply nested brackets",
        )
    code, message, hint = _FAULTS[fault.kind]
    return Diagnostic(
        code,
        message.format(token=fault.token),
        file=name,
        line=fault.line,
        column=fault.column,
        # A pointer 100 levels deep is noise: the line and column say where.
        pointer=None if fault.kind == "depth" else fault.pointer,
        hint=hint,
    )


def _key_line(text: str, key: str) -> int | None:
    needle = json.dumps(key)
    first = text.find(needle)
    second = text.find(needle, first + 1) if first >= 0 else -1
    return text.count("\n", 0, second) + 1 if second >= 0 else None


def model_from_data(data: Any, located: Located) -> tuple[Bank | None, list[Diagnostic]]:
    bank, diagnostics, refusal = _model_from_data(data, located)
    if refusal is not None:
        diagnostics = _pydantic_diagnostics(refusal.errors, data, located)
    return bank, diagnostics


@dataclass(frozen=True)
class _Refusal:
    """Why the model refused a bank: pydantic's errors (made diagnostics only when the
    schema finds nothing: located, each can cost a walk through the text), and the positions
    of the questions refused when only questions were (None when the bank around them was)."""

    errors: list[Any]
    flagged: set[int] | None


def no_unsafe_characters(raw: bytes) -> bool:
    """Whether no string of the JSON file `raw` can hold a character XML cannot carry, by
    three substring searches over the file rather than a pattern search of each of its
    strings. The parser refuses a control character written as itself, and UTF-8 cannot
    encode a surrogate (the file is refused undecoded), so only a \\u escape or U+FFFE or
    U+FFFF written as itself can bring one in. (A one-byte search runs at memchr speed, a
    longer one far slower: the byte that starts U+F000-U+FFFF is looked for first.)"""
    return b"\\u" not in raw and (
        b"\xef" not in raw or (b"\xef\xbf\xbe" not in raw and b"\xef\xbf\xbf" not in raw)
    )


def _model_from_data(
    data: Any, located: Located, characters_checked: bool = False
) -> tuple[Bank | None, list[Diagnostic], _Refusal | None]:
    """The bank and the problems of its rules; or, when the model refuses it, why.
    `characters_checked`: no_unsafe_characters holds for the file `data` was parsed from."""
    from pydantic import ValidationError

    from packager.model import bank_problems
    from packager.model.types import CHARACTERS_CHECKED

    context = {"defer_invariants": True, CHARACTERS_CHECKED: characters_checked}
    try:
        bank = Bank.model_validate(data, context=context)
    except ValidationError as exc:
        errors = exc.errors()
        flagged: set[int] | None = set()
        for error in errors:
            loc = error["loc"]
            if flagged is not None and len(loc) > 1 and loc[0] == "questions" and (
                isinstance(loc[1], int)
            ):
                flagged.add(loc[1])
            else:
                flagged = None
        return None, [], _Refusal(errors, flagged)
    problems = [located.problem(p) for p in bank_problems(bank)]
    return bank, problems, None


def _pydantic_diagnostics(errors: Any, data: Any, located: Located) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for error in errors:
        ctx_error = (error.get("ctx") or {}).get("error")
        if isinstance(ctx_error, InvariantError):
            diags.extend(located.problem(p) for p in ctx_error.problems)
            continue
        pointer = _pointer_from_loc(error["loc"], data)
        message = str(error["msg"]).removeprefix("Value error, ")
        diags.append(located.diagnostic("E-VALUE", pointer, message, _value_hint(message)))
    return diags


def _value_hint(message: str) -> str:
    if "control character" in message:
        return "delete the invisible character (often pasted from a word processor)"
    if "empty" in message or "white space" in message:
        return "write the text, or remove the field if it is optional"
    return "see the JSON Schema: packager schema"


def _pointer_from_loc(loc: tuple[Any, ...], data: Any) -> str:
    """Pydantic locations include union tags ('numeric', 'ExactAnswer'); drop those steps."""
    parts: list[str] = []
    current = data
    steps = list(loc)
    for index, step in enumerate(steps):
        if isinstance(current, dict) and isinstance(step, str) and step in current:
            current = current[step]
            parts.append(step.replace("~", "~0").replace("/", "~1"))
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            current = current[step]
            parts.append(str(step))
        elif index == len(steps) - 1 and isinstance(step, str):
            parts.append(step)  # a missing field: name it
    return "".join(f"/{p}" for p in parts)


# -- JSON Schema ----------------------------------------------------------------------------


def schema_diagnostics(
    data: Any, located: Located, flagged: set[int] | None = None
) -> list[Diagnostic]:
    """The schema's complaints about a bank. `flagged`: the positions of the only questions
    the model refused (model_from_data); just those are validated then. The models are at
    least as strict as the schema, so nothing else can fail it, and jsonschema took seconds
    over a 10,000-question bank with one wrong field."""
    validator = _validator()
    if flagged is None:
        errors = list(validator.iter_errors(data))
    else:
        errors = []
        for index in sorted(flagged):
            question = data["questions"][index]
            for error in _question_validator(_type_of(question)).iter_errors(question):
                error.path.extendleft(reversed(["questions", index]))
                errors.append(error)
    diags: list[Diagnostic] = []
    for error in sorted(errors, key=lambda e: list(e.absolute_path)):
        diags.extend(_schema_error(error, data, located))
    return diags


def _type_of(question: Any) -> str | None:
    qtype = question.get("type") if isinstance(question, dict) else None
    return qtype if isinstance(qtype, str) else None


def _question_validator(qtype: str | None) -> Any:
    """The schema of one question of type `qtype`: the branch of the questions' oneOf that
    its type names, which is what _schema_error reads a oneOf failure against (checking
    every branch first cost ten times as much); the whole oneOf for a type no branch has."""
    return _branch_validator(qtype) or _union_validator()


@lru_cache(maxsize=16)  # the question types, and a few unknown ones
def _branch_validator(qtype: str | None) -> Any:
    """The validator of the questions' oneOf branch whose `type` is `qtype`, or None."""
    from jsonschema import Draft202012Validator

    schema = _validator().schema
    for sub in schema["properties"]["questions"]["items"]["oneOf"]:
        branch = _resolve(sub)
        if qtype is not None and branch.get("properties", {}).get("type", {}).get("const") == qtype:
            return Draft202012Validator({**branch, "$defs": schema["$defs"]})
    return None


@lru_cache(maxsize=1)
def _union_validator() -> Any:
    from jsonschema import Draft202012Validator

    schema = _validator().schema
    return Draft202012Validator(
        {**schema["properties"]["questions"]["items"], "$defs": schema["$defs"]}
    )


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _schema_error(error: Any, data: Any, located: Located) -> list[Diagnostic]:
    # A question matches none of the union branches (the schema's one oneOf): validate
    # against the branch its `type` names so the learner-facing message is about the real
    # mistake.
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        qtype = error.instance.get("type")
        branch = _branch_validator(_type_of(error.instance))
        if branch is not None:
            results: list[Diagnostic] = []
            for sub_error in branch.iter_errors(error.instance):
                sub_error.path.extendleft(reversed(list(error.absolute_path)))
                results.extend(_schema_error(sub_error, data, located))
            return results
        from packager.model import QUESTION_TYPES

        if "type" in error.instance:
            from packager.suggest import did_you_mean

            maybe = did_you_mean(qtype, QUESTION_TYPES) if isinstance(qtype, str) else ""
            return [
                located.diagnostic(
                    "E-SCHEMA",
                    _pointer(error.absolute_path) + "/type",
                    f"unknown question type {qtype!r}{maybe}",
                    "use one of: " + ", ".join(QUESTION_TYPES),
                )
            ]
        return [
            located.diagnostic(
                "E-SCHEMA",
                _pointer(error.absolute_path),
                "the question has no 'type'",
                'add "type": one of ' + ", ".join(QUESTION_TYPES),
            )
        ]
    if error.validator == "anyOf":
        closest = _closest_branch(error.context or [])
        if closest:
            return [d for sub in closest for d in _schema_error(sub, data, located)]
    pointer = _pointer(error.absolute_path)
    message, hint = _explain(error)
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        if extra:
            pointer = _pointer([*error.absolute_path, extra[0]])
    elif error.validator == "required":
        pass
    return [located.diagnostic("E-SCHEMA", pointer, message, hint)]


def _closest_branch(errors: list[Any]) -> list[Any]:
    """The errors of the anyOf branch the value came closest to matching.

    Optional fields are anyOf [T, null]: the null branch is never the one meant. Of object
    branches (a numeric answer is {value, tolerance} or {min, max}), the one whose errors lie
    deepest inside the value is the one whose shape it has."""
    branches: dict[Any, list[Any]] = {}
    for sub in errors:
        if sub.validator != "type" or sub.validator_value != "null":
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    if not branches:
        return []
    return max(branches.values(), key=lambda subs: min(len(e.relative_path) for e in subs))


def _resolve(sub: dict[str, Any]) -> dict[str, Any]:
    ref = sub.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: dict[str, Any] = _validator().schema["$defs"][ref.removeprefix("#/$defs/")]
        return resolved
    return sub


def _explain(error: Any) -> tuple[str, str | None]:
    v = error.validator
    value = error.validator_value
    inst = error.instance
    field = error.path[-1] if error.path else None
    if v == "required":
        missing = [k for k in value if isinstance(inst, dict) and k not in inst]
        name = missing[0] if missing else value[0]
        return f"missing required field '{name}'", f'add "{name}" to this object'
    if v == "additionalProperties":
        extra = sorted(set(inst) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        return (
            f"unknown field '{extra[0] if extra else '?'}'",
            f"check the spelling; allowed fields here: {allowed}",
        )
    if v == "type":
        expected = value if isinstance(value, str) else " or ".join(value)
        return (
            f"expected {expected}, got {_json_type(inst)} {_short(inst)}",
            _TYPE_HINTS.get(expected, f"write a JSON {expected} here"),
        )
    if v == "anyOf":
        # Optional fields are anyOf [T, null]; report the non-null branch's complaint.
        for sub in error.context or []:
            if sub.validator != "type" or sub.validator_value != "null":
                return _explain(sub)
    if v == "minLength" and value == 1:
        return "must not be empty", "write the text, or remove the field if it is optional"
    if v == "minLength":
        return f"must be at least {value} characters long", "write a longer value"
    if v == "maxLength":
        return f"must be at most {value} characters long", "shorten it"
    if v == "minItems":
        return (
            f"needs at least {value} item{'s' if value != 1 else ''}, found {len(inst)}",
            f"add {'items' if value - len(inst) != 1 else 'an item'} to this list",
        )
    if v == "maxItems":
        return f"allows at most {value} items, found {len(inst)}", BOUND_HINTS.get(
            str(field), "split it, or remove items"
        )
    if v == "pattern":
        if value == SLUG_PATTERN:
            return (
                f"{_short(inst)} is not a valid id",
                "ids use lower-case letters, digits, '-' and '_', starting with a letter or digit",
            )
        return f"{_short(inst)} does not have the expected form", _pattern_hint(field, value)
    if v == "const":
        return f"must be {json.dumps(value)}, found {_short(inst)}", f"write {json.dumps(value)}"
    if v == "enum":
        choices = ", ".join(json.dumps(x) for x in value)
        return f"{_short(inst)} is not one of {choices}", f"use one of {choices}"
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "exclusiveMinimum": "greater than",
            "maximum": "at most",
            "exclusiveMaximum": "less than",
        }[v]
        beyond = isinstance(inst, float) and not math.isfinite(inst)  # 1e400 reads as inf
        found = "a number beyond the range of a double" if beyond else _short(inst)
        return f"must be {words} {value:g}, found {found}", f"use a number {words} {value:g}"
    return str(error.message), "see the JSON Schema: packager schema"


_TYPE_HINTS = {
    "string": 'put the text in double quotes, e.g. "…"',
    "boolean": "write true or false, without quotes",
    "number": "write a number without quotes, e.g. 2 or 0.5",
    "integer": "write a whole number without quotes, e.g. 3",
    "array": 'write a list in square brackets, e.g. ["…"]',
    "object": "write an object in braces, e.g. { … }",
}


def _pattern_hint(field: Any, pattern: str) -> str:
    if field == "version":
        return "use a semantic version such as 1.0.0"
    if field == "language":
        return "use a BCP 47 tag such as en, en-GB or fr"
    return f"it must match the pattern {pattern}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."
