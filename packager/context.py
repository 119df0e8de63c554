"""Everything a build may vary by: clock, strictness, output checks. Passed down, never global."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from packager.diagnostics import Diagnostics

# 1980-01-01: the earliest time a zip entry can carry; the default keeps builds reproducible.
DEFAULT_EPOCH = 315532800
# 2107-12-31 23:59:58 UTC, the last time a zip entry's DOS date and time can hold.
LAST_ZIP_EPOCH = 4354819198


def source_date_epoch() -> int:
    """SOURCE_DATE_EPOCH if set (reproducible-builds.org), else the fixed default."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is None or not raw.strip():
        return DEFAULT_EPOCH
    try:
        value = int(raw)
    except ValueError:
        from packager.errors import UsageError

        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw!r} is not a whole number of seconds",
            hints=["unset it, or set it to e.g. $(git log -1 --format=%ct)"],
        ) from None
    if value > LAST_ZIP_EPOCH:
        from packager.errors import UsageError

        raise UsageError(
            f"SOURCE_DATE_EPOCH={raw!r} is after 2107-12-31, the last date a zip can hold",
            hints=["set it to e.g. $(git log -1 --format=%ct)"],
        )
    # Before 1980-01-01, the first date a zip can hold: that date (the default).
    return max(value, DEFAULT_EPOCH)


def usable_cores() -> int:
    """The CPUs this process may run on (its affinity mask, which a CI quota may narrow)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass
class BuildContext:
    epoch: int = field(default_factory=source_date_epoch)
    strict: bool = False
    skip_unsupported: bool = False
    validate_output: bool = True
    xsd_dir: Path | None = None
    # Processes one large streamed document may be built with (export: the usable cores;
    # build: 1, as its jobs already run in parallel).
    processes: int = 1
    diagnostics: Diagnostics = field(default_factory=Diagnostics)

    @property
    def date_time(self) -> tuple[int, int, int, int, int, int]:
        t = time.gmtime(self.epoch)
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)

    @property
    def iso_date(self) -> str:
        return time.strftime("%Y-%m-%d", time.gmtime(self.epoch))
