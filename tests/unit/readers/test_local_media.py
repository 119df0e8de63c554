"""packager.readers.local_media.with_local_media: a text bank's images, read from beside it
into `Imported.media` under `media/`, each checked as the checks of a bank check it."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.errors import InputError
from packager.model import Bank
from packager.readers.base import Source
from packager.readers.imported import Imported
from packager.readers.local_media import with_local_media
from tests.conftest import CONTENT

PNG = (CONTENT / "media" / "leads-chart.png").read_bytes()


def _imported(prompt: str, description: str | None = None) -> Imported:
    data = {
        "format": "packager.question-bank/1", "id": "t", "title": "T",
        "questions": [{"id": "q1", "type": "text", "prompt": prompt}],
    }
    if description:
        data["description"] = description
    return Imported(Bank.model_validate(data))


def _source(folder: Path) -> Source:
    return Source(str(folder / "bank.md"), b"", folder)


def test_images_beside_the_source_are_carried_under_media(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "a.png").write_bytes(PNG)
    imported = with_local_media(
        _imported('See ![a](img/a.png) and <img src="./img/a.png" alt="">, not `![](x.png)`',
                  description="![a](img/a.png)"),
        _source(tmp_path))
    assert imported.media == {"media/img/a.png": PNG}
    assert imported.bank.questions[0].prompt == (
        'See ![a](media/img/a.png) and <img src="media/img/a.png" alt="">, not `![](x.png)`')
    assert imported.bank.description == "![a](media/img/a.png)"


def test_a_bank_without_local_images_is_returned_as_it_is(tmp_path: Path) -> None:
    imported = _imported("No image, ![web](https://example.org/a.png) is the checks' to judge")
    assert with_local_media(imported, _source(tmp_path)) is imported


@pytest.mark.parametrize(
    ("href", "message"),
    [
        ("missing.png", "media file 'missing.png' does not exist"),
        ("../a.png", "media path '../a.png' leaves the bank's folder"),
        ("/etc/passwd", "media path '/etc/passwd' is absolute"),
        ("link.png", "media path 'link.png' is a link to a file outside the bank's folder"),
        ("page.png", "media file 'page.png' is not an image"),
        ("Page.PNG", "media path 'Page.PNG' differs from the file's name on disk in letter case"),
    ],
)
def test_an_image_that_cannot_be_carried_is_an_error_naming_where_it_was_looked_for(
    tmp_path: Path, href: str, message: str
) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    (tmp_path / "a.png").write_bytes(PNG)
    (folder / "link.png").symlink_to(tmp_path / "a.png")
    (folder / "page.png").write_bytes(b"<html><script>alert(1)</script>")
    with pytest.raises(InputError, match="1 image of the bank cannot be carried") as caught:
        with_local_media(_imported(f"![x]({href})"), _source(folder))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.message.startswith(message), diagnostic.message
    assert (diagnostic.code, diagnostic.pointer, diagnostic.question_id) == (
        "E-MEDIA", "/questions/0/prompt", "q1")
    if href == "missing.png":
        assert diagnostic.hint is not None
        assert diagnostic.hint.startswith(f"put the file at {folder / 'missing.png'} ")
    if href == "Page.PNG":
        assert diagnostic.hint is not None
        assert diagnostic.hint.startswith("the file is named 'page.png' on disk")
