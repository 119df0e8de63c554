"""A question whose only text was an image the source does not hold: every reader leaves it
out, the image's note saying why and the next that the question's text held only what was
dropped (imported.LOST_TEXT), the other questions imported. GIFT and Blackboard gave it the
prompt '(no text)', QTI 2.1 and 3.0 its title: a question its author never wrote, its image
gone."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.readers import blackboard, gift, moodle, qti12, qti21, qti30
from packager.readers.base import Source
from packager.readers.imported import LOST_TEXT, Imported
from tests.unit.readers.qti2_cases import INPUTS, zip_bytes

_TRUE_FALSE = """<answer fraction="100"><text>true</text></answer>
<answer fraction="0"><text>false</text></answer>"""


def _moodle() -> Imported:
    questions = "".join(
        f'<question type="truefalse"><name><text>Q{n}</text></name><questiontext format="html">'
        f"<text><![CDATA[{text}]]></text></questiontext>{_TRUE_FALSE}</question>"
        for n, text in enumerate(['<p><img src="@@PLUGINFILE@@/gone.png"></p>', "Wet?"]))
    return moodle.read(Source("quiz.xml", f"<quiz>{questions}</quiz>".encode(), Path(".")))


def _gift() -> Imported:
    text = '::q1::[html]<p><img src\\="gone.png"></p> {T}\n\n::q2:: Wet? {T}\n'
    return gift.read(Source("quiz.gift", text.encode(), Path("/nonexistent")))


def _blackboard() -> Imported:
    pool = (INPUTS / "blackboard" / "partial-credit-percentages.dat").read_bytes().replace(
        b"&lt;p&gt;Which are noble gases? (Helium is worth most)&lt;/p&gt;",
        b'&lt;p&gt;&lt;img src="gone.png"&gt;&lt;/p&gt;')
    return blackboard.read(Source("pool.dat", pool, Path("/nonexistent")))


def _qti12() -> Imported:
    item = ('<item ident="{0}" title="{0}"><itemmetadata><qtimetadata><qtimetadatafield>'
            "<fieldlabel>question_type</fieldlabel><fieldentry>text_only_question</fieldentry>"
            '</qtimetadatafield></qtimetadata></itemmetadata><presentation><material>'
            '<mattext texttype="text/html">{1}</mattext></material></presentation></item>')
    items = item.format("q1", '&lt;img src="gone.png"&gt;') + item.format("q2", "Hello.")
    data = ('<questestinterop><assessment ident="a" title="A"><section ident="root_section">'
            f"{items}</section></assessment></questestinterop>")
    return qti12.read(Source("quiz.xml", data.encode(), Path("/nonexistent")))


def _qti2(module: object, folder: str, item: str, prompt: bytes, kind: str) -> Imported:
    original = (INPUTS / folder / item).read_bytes()
    gone = original.replace(prompt, b'<img src="gone.png" alt=""/>')
    manifest = f"""<?xml version="1.0"?>
<manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="M"><resources>
<resource identifier="A" type="{kind}" href="gone.xml"/>
<resource identifier="B" type="{kind}" href="kept.xml"/></resources></manifest>"""
    data = zip_bytes({"imsmanifest.xml": manifest, "gone.xml": gone, "kept.xml": original})
    read = module.read  # type: ignore[attr-defined]
    result: Imported = read(Source("quiz.zip", data, Path("/nonexistent")))
    return result


_READERS = {
    "moodle": (_moodle, "the whole question"),
    "gift": (_gift, "the whole question"),
    "blackboard": (_blackboard, "item left out"),
    "qti12": (_qti12, "not imported"),
    "qti21": (lambda: _qti2(qti21, "qti21", "true-false.xml",
                            b"Arabica beans hold more caffeine than robusta beans.",
                            "imsqti_item_xmlv2p1"), "item left out"),
    "qti30": (lambda: _qti2(qti30, "qti30", "true-false-inline-feedback.xml",
                            b"A ristretto uses more water than a lungo.",
                            "imsqti_item_xmlv3p0"), "item left out"),
}


@pytest.mark.parametrize("reader", _READERS)
def test_a_question_of_only_a_missing_image_is_left_out_alike_by_every_reader(
    reader: str
) -> None:
    read, left_out = _READERS[reader]
    imported = read()
    assert len(imported.bank.questions) == 1
    dropped = [n.message for n in imported.notes if n.kind == "dropped"]
    assert dropped[:2] == ["image 'gone.png' dropped: not found in the source"
                           if reader != "moodle" else
                           "image '@@PLUGINFILE@@/gone.png' dropped: not found in the source",
                           f"{left_out}: {LOST_TEXT}"]
    assert not any("(no text)" in n.message or "title is the prompt" in n.message
                   for n in imported.notes)
