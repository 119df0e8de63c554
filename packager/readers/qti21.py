"""IMS QTI 2.1 (and 2.2, and 2.0 items) packages and single item files → a Bank
(`--from qti21`).

A package is read through its manifest (`imsqti_item_xmlv2p1` / `imsqti_test_xmlv2p1`
resources; the test gives the order and sections); a single file is one `assessmentItem`.
The reading is shared with QTI 3.0 (qti2_package and qti2_documents, qti2_interactions,
qti2_items with its declarations, reading and scoring, over the QTI21 dialect); docs/formats/qti21.md ("Import") says what each construct becomes.
"""

from __future__ import annotations

from packager.readers import qti2_documents, qti2_package
from packager.readers.base import Source
from packager.readers.imported import Imported
from packager.readers.qti2_dialect import QTI21

NAME = "qti21"


def detect(data: bytes) -> bool:
    """A zip whose manifest lists QTI 2.1/2.2 items or tests, or a QTI 2.x item file."""
    return qti2_documents.detect(QTI21, data)


def read(source: Source) -> Imported:
    return qti2_package.read(QTI21, source)
