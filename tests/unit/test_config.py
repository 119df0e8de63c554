"""Reading packager.toml as Windows editors save it."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from packager.config import load_config
from packager.errors import InputError


def test_a_config_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Notepad's "UTF-8 with BOM": tomllib called the mark an invalid statement at line 1
    (portability review F10). Banks accept the mark; so does the config."""
    config = tmp_path / "packager.toml"
    config.write_bytes(codecs.BOM_UTF8 + b'formats = ["qti"]\r\nout = "r\xc3\xa9sultats"\r\n')
    loaded, folder = load_config(config, tmp_path)
    assert loaded.formats == ["qti"] and loaded.out == "résultats"
    assert folder == tmp_path.resolve()


def test_a_config_that_is_not_utf8_is_an_input_error_saying_so(tmp_path: Path) -> None:
    config = tmp_path / "packager.toml"
    config.write_bytes('formats = ["qti"]\n# café\n'.encode("cp1252"))
    with pytest.raises(InputError) as raised:
        load_config(config, tmp_path)
    assert "packager.toml:2:6: not valid UTF-8 (byte 0xe9)" in str(raised.value)
    assert raised.value.hints and "UTF-8" in raised.value.hints[0]


@pytest.mark.parametrize(("name", "text", "given", "message"), [
    ("pyproject.toml", '[tool.packger]\nformats = ["qti"]\n', False,
     "[tool.packger] is not packager's section (did you mean [tool.packager]?)"),
    ("pyproject.toml", '[tool.pacakger]\nout = "release"\n', True,
     "[tool.pacakger] is not packager's section (did you mean [tool.packager]?)"),
    ("pyproject.toml", '[tool.ruff]\nline-length = 100\n', True,
     "pyproject.toml: has no [tool.packager] section"),
    ("packager.toml", '[tool.packager]\nformats = ["qti"]\n', False,
     "packager.toml: holds a [tool.packager] section"),
])
def test_a_config_that_would_be_passed_over_is_an_error(
    tmp_path: Path, name: str, text: str, given: bool, message: str
) -> None:
    """Docs review 31: a misspelt section, or `-c` naming a pyproject.toml without one, built
    every format into dist/ with success; a packager.toml with the pyproject header said only
    "tool: Extra inputs are not permitted"."""
    config = tmp_path / name
    config.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_config(config if given else None, tmp_path)
    assert message in raised.value.message


def test_other_tools_sections_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.packer]\nx = 1\n[tool.packaging]\ny = 2\n[tool.ruff]\nz = 3\n", encoding="utf-8")
    loaded, folder = load_config(None, tmp_path)
    assert loaded.out == "dist" and folder == tmp_path


def test_a_list_written_as_one_string_is_shown_as_the_list(tmp_path: Path) -> None:
    config = tmp_path / "packager.toml"
    config.write_text('formats = "qti"\n', encoding="utf-8")
    with pytest.raises(InputError) as raised:
        load_config(config, tmp_path)
    assert raised.value.message.endswith(
        'formats: Input should be a valid list (write formats = ["qti"])')


@pytest.mark.parametrize(("line", "says"), [
    ("out = 'C:\\Users\\me\\dist'", "write '/' between folders"),
    ("xsd_dir = 'tools\\xsd'", "write '/' between folders"),
])
def test_a_folder_written_with_backslashes_is_refused_on_every_system(
    tmp_path: Path, line: str, says: str
) -> None:
    """Portability review 32 (F8): on Linux (CI) `out = 'C:\\...'` built into a folder of
    that name inside the checkout, exit 0, and the upload of dist/ found nothing new."""
    path = tmp_path / "packager.toml"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_config(path, tmp_path)
    assert says in caught.value.message and line.split(" =")[0] in caught.value.message


def test_a_drive_is_refused_where_it_means_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import packager.config as config

    path = tmp_path / "packager.toml"
    path.write_text("out = 'D:/releases'\n", encoding="utf-8")
    with pytest.raises(InputError, match="a Windows drive's folder"):
        load_config(path, tmp_path)
    monkeypatch.setattr(config, "_DRIVES", True)  # Windows reads it
    cfg, _ = load_config(path, tmp_path)
    assert cfg.out == "D:/releases"
    monkeypatch.setattr(config, "_DRIVES", False)  # a POSIX path that Windows reads as a share
    path.write_text("out = '//srv/share/dist'\n", encoding="utf-8")
    assert load_config(path, tmp_path)[0].out == "//srv/share/dist"


def test_a_folder_under_home_is_the_home_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`out = '~/dist'` made a folder named `~` beside the config, on every system."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    path = tmp_path / "packager.toml"
    path.write_text("out = '~/dist'\nxsd_dir = 'xsd'\n", encoding="utf-8")
    cfg, base = load_config(path, tmp_path)
    assert cfg.folder(cfg.out, base) == tmp_path / "home" / "dist"
    assert cfg.xsd_dir is not None and cfg.folder(cfg.xsd_dir, base) == tmp_path / "xsd"


def test_a_home_folder_that_cannot_be_found_is_an_error(tmp_path: Path) -> None:
    """Review 32 of the change: `~nosuchuser/dist` was a traceback from expanduser()."""
    path = tmp_path / "packager.toml"
    path.write_text("out = '~nosuchuser-packager-test/dist'\n", encoding="utf-8")
    cfg, base = load_config(path, tmp_path)
    with pytest.raises(InputError, match="~nosuchuser-packager-test/dist"):
        cfg.folder(cfg.out, base)
