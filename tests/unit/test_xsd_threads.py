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


# Run in a process of its own: libxml2 sets its built-in XSD types up once per process.
_FIRST_COMPILES = """
import sys, threading, time
from lxml import etree
from packager import richtext_urls, xsd

compiling = etree.XMLSchema
events = []

def recording(document, **kwargs):
    empty = len(document.getroot() if hasattr(document, "getroot") else document) == 0
    events.append(("start", empty))
    time.sleep(0.3)  # long enough for the other thread to start a compile of its own
    schema = compiling(document, **kwargs)
    events.append(("end", empty))
    return schema

etree.XMLSchema = recording
threads = [threading.Thread(target=xsd.schema_for, args=("moodle", None)),
           threading.Thread(target=richtext_urls.unwritable_address, args=("https://a.b/?q",))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(events)
"""


def test_the_first_compiles_of_a_process_on_two_threads_wait_for_the_types() -> None:
    """Review 40: prewarm alone set libxml2's built-in types up before compiling; two API
    threads asking for their first schemas (an export's XSD, rendering's xs:anyURI check)
    compiled at once with the types not set up, the race that broke every later compile of
    a process. Each compile now waits for the types, which one thread sets up."""
    import ast
    import os
    import subprocess
    import sys
    from pathlib import Path

    tree = str(Path(xsd.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": tree}
    done = subprocess.run([sys.executable, "-c", _FIRST_COMPILES], capture_output=True,
                          text=True, env=env, timeout=120, check=True)
    events = ast.literal_eval(done.stdout.strip().splitlines()[-1])
    # The empty schema that sets the types up, alone, then the two compiles.
    assert events[:2] == [("start", True), ("end", True)]
    assert sorted(events[2:]) == [("end", False)] * 2 + [("start", False)] * 2


def test_an_address_is_checked_holding_the_schema_as_every_validation_does(
        monkeypatch: Any) -> None:
    """richtext_urls validated its xs:anyURI schema with no lock: its verdict went by the
    validate() call alone, beside the schema lock every other validation holds."""
    from packager import richtext_urls

    held: list[Any] = []
    original = xsd.schema_errors

    def recording(schema: Any, tree: Any, part: str) -> list[xsd.XsdError]:
        held.append(schema)
        return original(schema, tree, part)

    monkeypatch.setattr(xsd, "schema_errors", recording)
    assert richtext_urls.unwritable_address("https://host:https://x")
    assert not richtext_urls.unwritable_address("https://a.b/?q")
    assert held == [richtext_urls._any_uri()] * 2
