"""Size limits of a bank's media and of packages (README, "Limits"): generous for any real
quiz, small enough that a hostile bank cannot make an export take gigabytes. The limits of
texts and numbers are part of the model (packager/model/types.py).
"""

from __future__ import annotations

# The largest bank file read: about 90,000 questions of typical size (the benchmark's
# 50,000-question bank is 137 MB); larger files are refused before they are parsed.
MAX_BANK_BYTES = 256 * 2**20
MAX_MEDIA_BYTES = 20 * 1024 * 1024  # one media file
MAX_BANK_MEDIA_BYTES = 500 * 1024 * 1024  # every distinct media file of one bank together
# A package that embeds its media in the document (Moodle XML: base64 in every text that
# shows the image, as Moodle keeps files per text) must stay importable.
MAX_EMBEDDED_BYTES = 1024 * 1024 * 1024
# What is read from standard input (`validate -`, `import -`): a pipe has no size to check
# first, so reading stops here instead of at the end of the memory.
MAX_STDIN_BYTES = MAX_EMBEDDED_BYTES


def mib(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MiB" if size >= 1024 * 1024 else f"{size:,} bytes"
