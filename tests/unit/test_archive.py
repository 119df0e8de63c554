"""archive.ZipWriter against zipfile.ZipFile: the same entries give the same bytes."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path
from typing import IO, Any
from unittest import mock

import pytest
from zlib_ng import zlib_ng

from packager import archive

DATE = (2023, 11, 14, 22, 13, 20)
# (name, data, streamed in these chunk sizes or written whole)
Entries = list[tuple[str, bytes, list[int] | None]]


def _deflate(*_: object) -> Any:
    """The compressor zipfile is given: zlib-ng's at the writer's level (zipfile's CRC-32 is
    still zlib's, which checks zlib-ng's)."""
    return zlib_ng.compressobj(archive.LEVEL, zlib_ng.DEFLATED, -15)


def _zipfile_bytes(entries: Entries, into: IO[bytes] | None = None) -> bytes:
    """What zipfile writes for the entries, set as a deterministic package sets them."""
    buffer = io.BytesIO() if into is None else into
    with mock.patch.object(zipfile, "_get_compressor", _deflate), \
            zipfile.ZipFile(buffer, "w") as zipped:
        for name, data, chunks in entries:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            if chunks is None:
                zipped.writestr(info, data)
                continue
            with zipped.open(info, "w") as stream:
                for piece in _pieces(data, chunks):
                    stream.write(piece)
    return buffer.getvalue() if isinstance(buffer, io.BytesIO) else b""


def _writer_bytes(entries: Entries, into: IO[bytes] | None = None) -> bytes:
    writer = archive.ZipWriter(DATE, into)
    for name, data, chunks in entries:
        if chunks is None:
            writer.write(name, data)
            continue
        stream = writer.open(name)
        for piece in _pieces(data, chunks):
            stream.write(piece)
        stream.close()
    return writer.close()


def _pieces(data: bytes, chunks: list[int]) -> list[bytes]:
    pieces, start = [], 0
    for size in chunks:
        pieces.append(data[start : start + size])
        start += size
    return [*pieces, data[start:]]


def _entries(seed: int, n: int) -> Entries:
    rng = random.Random(seed)
    words = [b"<item/>", b"choice ", b"\xc3\xa9t\xc3\xa9 ", b"<p>text</p>", bytes([rng.randrange(256)])]
    names = ["items/q{}.xml", "media/caf\u00e9-{}.png", "a/b/\u4e2d{}.xml", "imsmanifest{}.xml"]
    entries: Entries = []
    for i in range(n):
        size = rng.choice([0, 1, 50, 4000, 70_000])
        data = b"".join(rng.choice(words) for _ in range(size // 7 + 1))[:size]
        streamed = [rng.randrange(1, 30_000) for _ in range(rng.randrange(3))] if i % 3 == 0 else None
        entries.append((rng.choice(names).format(i), data, streamed))
    return entries


@pytest.mark.parametrize("seed", range(6))
def test_the_writer_writes_what_zipfile_writes(seed: int) -> None:
    entries = _entries(seed, 1 + seed * 7)
    written = _writer_bytes(entries)
    assert written == _zipfile_bytes(entries)
    # and Python's zlib inflates every entry back, its CRC checked
    with zipfile.ZipFile(io.BytesIO(written)) as read:
        assert read.testzip() is None
        assert [read.read(info) for info in read.infolist()] == [data for _, data, _ in entries]


def test_an_entry_has_the_same_bytes_however_it_is_cut() -> None:
    """A streamed entry arrives in the pieces its document was built in (batches, from one
    process or from forked workers): its bytes must not depend on them. zlib-ng's do not
    (ISA-L's do, for one)."""
    rng = random.Random(4)
    words = [bytes(rng.choices(b"abcdefghij<>/= ", k=rng.randrange(2, 12))) for _ in range(300)]
    data = b" ".join(rng.choices(words, k=60_000))
    cuts = [[1], [1000] * 300, [65_535, 1], [65_537, 0, 10], [100_000] * 2, [len(data) - 1]]
    zips = {_writer_bytes([("a.xml", data, chunks)]) for chunks in cuts}
    assert zips == {_writer_bytes([("a.xml", data, None)])}


def test_an_empty_zip_and_empty_entries() -> None:
    assert _writer_bytes([]) == _zipfile_bytes([])
    entries: Entries = [("a.xml", b"", None), ("b.xml", b"", []), ("c.xml", b"", [0, 0])]
    assert _writer_bytes(entries) == _zipfile_bytes(entries)


def test_a_zip_written_into_a_file_after_other_bytes(tmp_path: pytest.TempPathFactory) -> None:
    """Offsets count from the file's start, as zipfile's do."""
    entries = _entries(11, 9)
    files = []
    for write in (_writer_bytes, _zipfile_bytes):
        with open(f"{tmp_path}/{write.__name__}.zip", "w+b") as file:
            file.write(b"head\n")
            write(entries, file)
            file.seek(0)
            files.append(file.read())
    assert files[0] == files[1]


def test_zip64_records_as_zipfile_writes_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits lowered so that small entries need zip64: large entries written whole, offsets
    and a central directory past the limit, more entries than the count limit."""
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 3000)
    monkeypatch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 5)
    entries = [(name, data, None) for name, data, _ in _entries(5, 12)]
    # First, at an offset within the limit, and its size too, but zipfile allows for deflate
    # growing it by 5 %: a zip64 local header, none in the central directory.
    entries.insert(0, ("edge.xml", random.Random(3).randbytes(2900), None))
    entries.append(("big.xml", random.Random(1).randbytes(5000), None))
    entries.append(("small.xml", b"<x/>" * 10, [7]))
    assert _writer_bytes(entries) == _zipfile_bytes(entries)
    with zipfile.ZipFile(io.BytesIO(_writer_bytes(entries))) as read:  # and it reads back
        assert [read.read(name) for name, _, _ in entries] == [data for _, data, _ in entries]


def test_a_streamed_entry_past_the_limit_fails_as_with_zipfile_but_says_what_to_do(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """It stopped a build with a RuntimeError (an "internal error … please report it"),
    where the bank is too large for the one document a format puts it in."""
    from packager.errors import UnsupportedError

    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 3000)
    entries: Entries = [("big.xml", random.Random(2).randbytes(5000), [2500])]
    with pytest.raises(RuntimeError, match="too large"):
        _zipfile_bytes(entries)
    with pytest.raises(UnsupportedError) as raised:
        _writer_bytes(entries)
    assert raised.value.message.startswith(
        "big.xml: the document would be 5,0")  # deflate adds a few bytes to random ones
    assert raised.value.message.endswith(
        "bytes, more than the 3,000 a zip entry written as it is built can hold")
    assert raised.value.hints[0].startswith("split the bank into smaller banks")


def test_an_entry_name_packager_would_never_make_is_refused() -> None:
    from packager.errors import OutputValidationError

    writer = archive.ZipWriter(DATE)
    for name in ("../x.xml", "/x.xml", "a//b.xml"):
        with pytest.raises(OutputValidationError, match="refusing to write the zip entry"):
            writer.write(name, b"x")
        with pytest.raises(OutputValidationError, match="refusing to write the zip entry"):
            writer.open(name)


def test_a_streamed_entry_is_closed_before_anything_else() -> None:
    writer = archive.ZipWriter(DATE)
    stream = writer.open("a.xml")
    with pytest.raises(ValueError, match="before the streamed one was closed"):
        writer.write("b.xml", b"x")
    with pytest.raises(ValueError, match="closed before its streamed entry"):
        writer.close()
    stream.close()
    writer.write("b.xml", b"x")
    assert writer.close() == _zipfile_bytes([("a.xml", b"", []), ("b.xml", b"x", None)])


def test_whole_entries_reach_the_file_in_few_writes(tmp_path: pytest.TempPathFactory) -> None:
    """A build writes into an unbuffered file (fsutil.StagedFile), where each write is a
    system call: 300 small entries and the directory go in one write; a streamed entry first
    writes what came before it."""
    writes: list[int] = []

    class Counted(io.FileIO):
        def write(self, data: Any) -> int:
            writes.append(len(data))
            return super().write(data)

    entries: Entries = [(f"items/q{i}.xml", b"<item>%d</item>" % i, None) for i in range(300)]
    with Counted(f"{tmp_path}/a.zip", "w+") as file:
        _writer_bytes(entries, file)
    assert len(writes) == 1
    writes.clear()
    entries.insert(150, ("big.xml", b"<x/>" * 100, [200]))
    with Counted(f"{tmp_path}/b.zip", "w+") as file:
        _writer_bytes(entries, file)
        file.seek(0)
        assert file.read() == _zipfile_bytes(entries)
    # before the stream; its header, two pieces, its tail, its header again; the rest
    assert len(writes) == 7


def test_a_bank_too_large_for_its_document_fails_the_export_saying_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The QTI 1.2 assessment, streamed, past the limit (faked): exit 4 with the document
    named, where it was an internal error's traceback."""
    import packager
    from packager.errors import ExitCode, UnsupportedError
    from packager.packages import assemble_zip

    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 3000)
    monkeypatch.setattr(assemble_zip, "CHUNK", 1000)  # streamed, as a document of megabytes
    bank = {"format": "packager.question-bank/1", "id": "b", "title": "B", "questions": [
        {"id": f"q{n}", "type": "true_false", "prompt": f"Is {n} even?", "answer": n % 2 == 0}
        for n in range(20)]}
    with pytest.raises(UnsupportedError) as raised:
        packager.export(bank, "qti12", base_dir=tmp_path, validate_output=False)
    assert raised.value.exit_code == ExitCode.UNSUPPORTED
    assert re.fullmatch(r"b-1\.0\.0\.qti12\.zip: g\w+/g\w+\.xml: the document would be "
                        r"[\d,]+ bytes, more than the 3,000 a zip entry written as it is built "
                        r"can hold", raised.value.message), raised.value.message
