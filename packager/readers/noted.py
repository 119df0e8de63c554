"""What a conversion of rich text says it lost or changed: each note with its kind, set
where the note is made. A reader passes the kind on as it is, and may reword the message
(say why an image was not found): the kind never follows the message's words, so rewording
a message cannot turn a loss into a change."""

from __future__ import annotations

from typing import Literal, NamedTuple

Kind = Literal["dropped", "changed"]


class Noted(NamedTuple):
    kind: Kind
    message: str
