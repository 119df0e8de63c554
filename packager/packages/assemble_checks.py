"""Which parts of an output are validated against their XSD when it is assembled, and the
errors found (one list, capped)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from packager.packages.base import ChildReports, StreamedXml

if TYPE_CHECKING:
    from packager.context import BuildContext

MAX_ERRORS = 20


def tree_errors(schema: Any, tree: Any, where: str, limit: int = MAX_ERRORS) -> list[str]:
    """The schema's complaints about a tree, as "where:line: message" (none when there is
    no schema, or when enough errors are already known)."""
    from packager import xsd

    if schema is None or limit <= 0:
        return []
    return [str(e) for e in xsd.schema_errors(schema, tree, where)][:limit]


class Checker:
    """Which parts get XSD validation, and the errors found (one list, capped)."""

    def __init__(self, ctx: BuildContext | None) -> None:
        self.ctx = ctx
        self.errors: list[str] = []
        self.reports: dict[str, ChildReports] = {}
        # Asked twice for each part, 20,000 times for a QTI 2.x package of 10,000 items;
        # xsd.schema_for hashes a path and waits on a future each time.
        self._schemas: dict[str | None, Any] = {}

    def schema(self, key: str | None) -> Any:
        try:
            return self._schemas[key]
        except KeyError:
            schema = self._schemas[key] = self._schema(key)
            return schema

    def _schema(self, key: str | None) -> Any:
        from packager import xsd

        ctx = self.ctx
        if key is None or ctx is None or not ctx.validate_output:
            return None
        if xsd.needs_xsd_dir(key) and ctx.xsd_dir is None:
            return None
        return xsd.schema_for(key, ctx.xsd_dir)

    def rule(self, doc: StreamedXml) -> Callable[..., Any] | None:
        """The document's child rule, when output is checked (not under --no-validate)."""
        ctx = self.ctx
        return doc.check if ctx is not None and ctx.validate_output else None

    def check(self, schema: Any, tree: Any, where: str) -> None:
        self.add(tree_errors(schema, tree, where, self.limit))

    def add(self, errors: Iterable[str]) -> None:
        self.errors.extend(errors)
        del self.errors[MAX_ERRORS:]

    @property
    def limit(self) -> int:
        """How many more errors are worth finding."""
        return MAX_ERRORS - len(self.errors)


