"""XSD verdicts on threads of one process (the API's callers): a compiled schema is shared by
every thread (xsd._compile keeps one per key), and lxml keeps the messages of a validation
on the schema object, not on the call."""

from __future__ import annotations

import threading
from typing import Any

from lxml import etree

from packager import xsd

_QUESTION = ('<question type="description"><name><text>q</text></name>'
             '<questiontext format="html"><text>t</text></questiontext></question>')
_VALID = f"<quiz>{_QUESTION}</quiz>".encode()
_INVALID = f'<quiz>{_QUESTION}<question type="nonsense"/></quiz>'.encode()


class _Interleaved:
    """A compiled schema whose first failed validation lets another thread validate a valid
    document with it before the caller reads the messages: the moment two exports on two
    threads can meet at."""

    def __init__(self, schema: Any, other: Any) -> None:
        self.schema, self.other, self.done = schema, other, False

    def validate(self, tree: Any) -> bool:
        valid = bool(self.schema.validate(tree))
        if not valid and not self.done:
            self.done = True
            thread = threading.Thread(target=xsd.schema_errors, args=(self, self.other, "ok.xml"))
            thread.start()
            thread.join(0.5)  # it waits for this validation's end where one schema is held
        return valid

    @property
    def error_log(self) -> Any:
        return self.schema.error_log


def test_a_document_that_fails_keeps_its_errors_while_another_thread_validates() -> None:
    """A document of a type Moodle has not failed validation, and its errors were read after
    the other thread's validation of a valid document had cleared them: no errors, so the
    package was judged valid. schema_errors now holds the schema for both steps."""
    schema = xsd.schema_for("moodle", None)
    valid, invalid = etree.fromstring(_VALID), etree.fromstring(_INVALID)
    assert xsd.schema_errors(schema, valid, "ok.xml") == []
    alone = xsd.schema_errors(schema, invalid, "bad.xml")
    assert alone
    assert xsd.schema_errors(_Interleaved(schema, valid), invalid, "bad.xml") == alone
