"""The published JSON Schema's complaints about a canonical bank, as diagnostics with
learner-facing messages and hints (read only when the model refuses a bank: see canonical).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from packager.diagnostics import Diagnostic
from packager.model.questions import BOUND_HINTS
from packager.model.types import SLUG_PATTERN

if TYPE_CHECKING:
    from packager.readers.canonical import Located

@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from packager.schema import load_published

    schema = load_published()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


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
        # jsonschema reports each missing field as an error of its own, naming it only in its
        # message ("'title' is a required property"): the first was named for every one.
        name = next((k for k in missing if error.message.startswith(repr(k))),
                    missing[0] if missing else value[0])
        return f"missing required field '{name}'", f'add "{name}" to this object'
    if v == "additionalProperties":
        extra = sorted(set(inst) - set(error.schema.get("properties", {})))
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        named = ", ".join(f"'{k}'" for k in extra) or "'?'"
        return (
            f"unknown field{'s' if len(extra) > 1 else ''} {named}",
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
