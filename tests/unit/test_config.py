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
