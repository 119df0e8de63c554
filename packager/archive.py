"""Package files → deterministic zip bytes. The only module that knows the zip format.

Fixed timestamps (from the build context), fixed permissions and creator system, one
compression level, entries in a fixed order: the same files always give the same bytes.

Entries are deflated by zlib-ng (the `zlib-ng` package, its library built in), not by the
zlib that Python was built with: the same bytes on every system and processor (its vector
code paths give the same output on x86-64 with and without AVX2 or AVX-512 and on arm64),
and less CPU than zlib for fewer bytes. ISA-L is faster still, but deflates otherwise on
arm64 than on x86-64 and depends on how an entry's input is cut.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator, Mapping
from typing import IO

from zlib_ng import zlib_ng

from packager.errors import OutputValidationError, UnsupportedError
from packager.relpath import relpath_problem

FIRST = ("imsmanifest.xml",)  # by convention the manifest leads; nothing depends on it
# zlib-ng's level 1 is twice as fast but 28 % larger; its 3 is 30 % slower for 5 % fewer bytes.
LEVEL = 2

# The records ZipWriter packs, with their signatures (APPNOTE.TXT 4.3); the limits past which
# zip64 records are needed are read from zipfile when used, as ZipFile reads them.
_LOCAL = struct.Struct("<4s2B4HL2L2H")  # local file header
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory file header
_END = struct.Struct("<4s4H2LH")  # end of central directory
_END64 = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory
_LOCATOR64 = struct.Struct("<4sLQL")  # zip64 end of central directory locator
_ZIP64_LOCAL = struct.Struct("<HHQQ")
_VERSION = zipfile.DEFAULT_VERSION
_ZIP64_VERSION = zipfile.ZIP64_VERSION
_UNIX = 3  # the creator system: unix, whatever OS builds it
_PERMISSIONS = 0o100644 << 16  # a regular file, rw-r--r--
_UTF8_NAME = 0x800  # the flag bit of a name in UTF-8
_WRITE_SIZE = 1 << 20  # whole entries are written in pieces of about this many bytes


def entry_order(names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: (n not in FIRST, n))


class ZipWriter:
    """A deterministic zip built entry by entry, each written whole or streamed.

    Callers add entries in `entry_order`; packages/assemble.py is the one caller. Its records
    are those zipfile.ZipFile writes for the same entries, deflated at LEVEL, dated
    `date_time`, unix files rw-r--r-- (tests/unit/test_archive.py compares the two byte for
    byte, zip64 records included). Packed here because a QTI 2.x package has 10,000 small
    items, and ZipFile's ZipInfo, write handle, seeks and local header packed twice cost
    each of them a third of what deflating it does.
    """

    def __init__(
        self, date_time: tuple[int, int, int, int, int, int], into: IO[bytes] | None = None
    ) -> None:
        """`into`: a seekable file to write the zip to, instead of bytes in memory."""
        buffer = io.BytesIO()
        self._buffer = buffer if into is None else None
        self._out: IO[bytes] = buffer if into is None else into
        self._position = self._out.tell()  # offsets count from the file's start, as ZipFile's
        year, month, day, hour, minute, second = date_time
        if year < 1980:
            raise ValueError("ZIP does not support timestamps before 1980")
        self._dos_time = hour << 11 | minute << 5 | second // 2
        self._dos_date = (year - 1980) << 9 | month << 5 | day
        self._central: list[bytes] = []  # each entry's central directory record
        # Whole entries' bytes not yet written: `into` is unbuffered in a build (each write a
        # system call), and most entries are a few kB.
        self._pending: list[bytes] = []
        self._pending_size = 0
        self._streaming = False  # an entry that open() gave is not closed yet

    def _name(self, name: str) -> tuple[bytes, int]:
        """The entry's name as written, and its flag bits (UTF-8 names say so)."""
        if self._streaming:
            raise ValueError(f"zip entry {name!r} started before the streamed one was closed")
        # The bank check refuses such media names; this is the last line for any other path.
        problem = relpath_problem(name)
        if problem is not None:
            raise OutputValidationError(
                f"refusing to write the zip entry {name!r}: it {problem}",
                hints=["this is a packager bug: please report it with the bank that caused it"],
            )
        try:
            return name.encode("ascii"), 0
        except UnicodeEncodeError:
            return name.encode("utf-8"), _UTF8_NAME

    def _local_header(
        self, name: bytes, flags: int, crc: int, compressed: int, size: int, zip64: bool
    ) -> bytes:
        extra = b""
        version = _VERSION
        if zip64:  # as ZipInfo.FileHeader(zip64=True) writes it
            extra = _ZIP64_LOCAL.pack(1, 16, size, compressed)
            size = compressed = 0xFFFFFFFF
            version = _ZIP64_VERSION
        return _LOCAL.pack(
            b"PK\x03\x04", version, 0, flags, zipfile.ZIP_DEFLATED, self._dos_time,
            self._dos_date, crc, compressed, size, len(name), len(extra),
        ) + name + extra

    def _add_central(
        self, name: bytes, flags: int, crc: int, compressed: int, size: int, offset: int,
        zip64_header: bool,
    ) -> None:
        """The entry's record of the central directory, as ZipFile._write_end_record packs it."""
        limit = zipfile.ZIP64_LIMIT
        extra: list[int] = []
        if size > limit or compressed > limit:
            extra += [size, compressed]
            size = compressed = 0xFFFFFFFF
        if offset > limit:
            extra.append(offset)
            offset = 0xFFFFFFFF
        packed = struct.pack("<HH" + "Q" * len(extra), 1, 8 * len(extra), *extra) if extra else b""
        # A zip64 local header raised the versions of its ZipInfo for good.
        version = _ZIP64_VERSION if extra or zip64_header else _VERSION
        self._central.append(_CENTRAL.pack(
            b"PK\x01\x02", version, _UNIX, version, 0, flags, zipfile.ZIP_DEFLATED,
            self._dos_time, self._dos_date, crc, compressed, size, len(name), len(packed), 0, 0,
            0, _PERMISSIONS, offset,
        ) + name + packed)

    def write(self, name: str, data: bytes) -> None:
        encoded, flags = self._name(name)
        compressor = zlib_ng.compressobj(LEVEL, zlib_ng.DEFLATED, -15)
        compressed = compressor.compress(data) + compressor.flush()
        crc = zlib_ng.crc32(data)
        # ZipFile.writestr decides on zip64 from the size before deflating.
        zip64 = len(data) * 1.05 > zipfile.ZIP64_LIMIT
        header = self._local_header(encoded, flags, crc, len(compressed), len(data), zip64)
        offset = self._position
        self._pending += (header, compressed)
        self._pending_size += len(header) + len(compressed)
        self._position += len(header) + len(compressed)
        self._add_central(encoded, flags, crc, len(compressed), len(data), offset, zip64)
        if self._pending_size >= _WRITE_SIZE:
            self._write_pending()

    def _write_pending(self) -> None:
        if self._pending:
            self._out.write(b"".join(self._pending))
            self._pending = []
            self._pending_size = 0

    def open(self, name: str) -> EntryStream:
        """A stream for one entry, compressed as written; close it before the next entry.

        The same bytes as write() with the whole data (the header is patched on close).
        """
        encoded, flags = self._name(name)
        self._write_pending()
        stream = EntryStream(self, encoded, flags)
        self._streaming = True
        return stream

    def close(self) -> bytes:
        """The zip's bytes; none when it was written into a file."""
        if self._streaming:
            raise ValueError("zip closed before its streamed entry was")
        directory = self._position
        self._pending += self._central
        size = sum(map(len, self._central))
        count, offset = len(self._central), directory
        if (count > zipfile.ZIP_FILECOUNT_LIMIT or offset > zipfile.ZIP64_LIMIT
                or size > zipfile.ZIP64_LIMIT):
            self._pending.append(
                _END64.pack(b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset))
            self._pending.append(_LOCATOR64.pack(b"PK\x06\x07", 0, directory + size, 1))
            count, size, offset = min(count, 0xFFFF), min(size, 0xFFFFFFFF), min(offset, 0xFFFFFFFF)
        self._pending.append(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, offset, 0))
        self._write_pending()
        self._out.flush()
        self._central = []
        return b"" if self._buffer is None else self._buffer.getvalue()


class EntryStream:
    """One entry's data deflated as it comes; its local header is written with zero sizes
    and CRC and patched on close, as ZipFile does on a seekable file."""

    def __init__(self, writer: ZipWriter, name: bytes, flags: int) -> None:
        self._writer = writer
        self._name = name
        self._flags = flags
        self._offset = writer._position
        self._compressor = zlib_ng.compressobj(LEVEL, zlib_ng.DEFLATED, -15)
        self._crc = 0
        self._size = 0
        self._compressed = 0
        header = writer._local_header(name, flags, 0, 0, 0, False)
        writer._out.write(header)
        self._data_start = self._offset + len(header)

    def write(self, data: bytes) -> int:
        self._size += len(data)
        self._crc = zlib_ng.crc32(data, self._crc)
        compressed = self._compressor.compress(data)
        self._compressed += len(compressed)
        self._writer._out.write(compressed)
        return len(data)

    def close(self) -> None:
        writer = self._writer
        tail = self._compressor.flush()
        self._compressed += len(tail)
        out = writer._out
        out.write(tail)
        # Its header, written before its size was known, has no room for zip64 sizes. A
        # bank's one document grown past them (a QTI 1.2 assessment, a Blackboard pool) is
        # the bank's size, so the user's to split, not a bug.
        limit = zipfile.ZIP64_LIMIT
        if max(self._size, self._compressed) > limit:
            name = self._name.decode("utf-8")
            raise UnsupportedError(
                f"{name}: the document would be {max(self._size, self._compressed):,} bytes, "
                f"more than the {limit:,} a zip entry written as it is built can hold",
                hints=["split the bank into smaller banks: every question of a bank goes "
                       "into this one document"])
        end = self._data_start + self._compressed
        out.seek(self._offset)
        out.write(writer._local_header(
            self._name, self._flags, self._crc, self._compressed, self._size, False))
        out.seek(end)
        writer._position = end
        writer._add_central(self._name, self._flags, self._crc, self._compressed, self._size,
                            self._offset, False)
        writer._streaming = False


class ZipEntries(Mapping[str, bytes]):
    """Every file entry of a zip (folders skipped), each decompressed when it is read: the
    checks of a just-built package read its manifest and a few documents, not the 10,000
    item files of a QTI 2.x package."""

    def __init__(self, data: bytes | IO[bytes]) -> None:
        """`data`: the zip's bytes, or a seekable file holding it."""
        self._zip = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
        self._infos = {info.filename: info for info in self._zip.infolist() if not info.is_dir()}

    def __getitem__(self, name: str) -> bytes:
        return self._zip.read(self._infos[name])

    def stream(self, name: str) -> IO[bytes]:
        """An entry as a stream, decompressed as it is read (a large document need never be
        held whole; reading it whole holds it twice for a moment)."""
        return self._zip.open(self._infos[name])

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def __iter__(self) -> Iterator[str]:
        return iter(self._infos)

    def __len__(self) -> int:
        return len(self._infos)
