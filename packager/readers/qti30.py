"""1EdTech QTI 3.0 packages and single item files → a Bank (`--from qti30`).

A package is read through its manifest (`imsqti_item_xmlv3p0`, `imsqti_test_xmlv3p0` and
`imsqti_stimulus_xmlv3p0` resources; the test gives the order and sections, an item's
`qti-assessment-stimulus-ref` a bank stimulus); a single file is one `qti-assessment-item`.
The reading is QTI 2.1's in QTI 3 names (qti2_package over the QTI30 dialect);
docs/formats/qti30.md ("Import") says what each construct becomes.
"""

from __future__ import annotations

from packager.readers import qti2_documents, qti2_package
from packager.readers.base import Source
from packager.readers.imported import Imported
from packager.readers.qti2_dialect import QTI30

NAME = "qti30"


def detect(data: bytes) -> bool:
    """A zip whose manifest lists QTI 3.0 items or tests, or a QTI 3.0 item file."""
    return qti2_documents.detect(QTI30, data)


def read(source: Source) -> Imported:
    return qti2_package.read(QTI30, source)
