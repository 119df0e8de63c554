"""The benchmark's generated banks: one canonical bank and the same questions for text2qti.

Profiles (every one seeded, so a size gives the same bytes on every run and machine):
- `plain`: scenario questions whose every text is one plain paragraph (~600-character
  scenario, ~1,200-character explanation, four one-sentence options).
- `rich`: the same questions with explanations as real ones are: 2-3 paragraphs with
  emphasis; 20 % of the questions add a list, 10 % a link, 10 % inline math, 5 % a table,
  5 % a fenced code block (each drawn on its own, so a question may have several); a third
  of the questions have feedback on every option.
- `media`: `plain` with an image after the scenario in 10 % of the questions, alternately a
  PNG and a JPEG, each its own small file (real image bytes) in `media/` beside the bank.

text2qti gets the same Markdown (its Python-Markdown has emphasis, lists, links, tables,
fenced code and images; `$…$` math it turns into Canvas equation images where packager
writes MathML). What is converted: the scenario and prompt become the question text, the
explanation the general feedback (`...` before the options), option feedback `...` after its
option; continuation lines are indented under the text they continue, as text2qti requires;
image paths are relative to the folder text2qti runs in (`content/media/…`).
"""

from __future__ import annotations

import random
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

WORDS = [
    "revenue",
    "pipeline",
    "customer",
    "retention",
    "marketing",
    "qualified",
    "leads",
    "sales",
    "team",
    "goals",
    "strategy",
    "mission",
    "department",
    "quarterly",
    "growth",
    "onboarding",
    "churn",
    "forecast",
    "budget",
    "priorities",
    "scale",
    "alignment",
    "metrics",
    "café",
    "naïve",
    "résumé",
    "coördinate",
    "Zoë",
    "José",
    "“quoted”",
    "‘single’",
    "—",
    "☕",
    "📈",
]
# Everyday words for realistic text: with WORDS alone every sentence would share most words
# with every other, which real text does not.
_EVERYDAY = """account adoption agency analysis approach audience benefit board brand buyer campaign
    channel client coherence content context contract conversion cost coverage culture data
    deadline decision delivery demand design direction effort engineer evidence execution
    feedback firm focus framework function hiring impact incentive initiative insight launch
    leader margin market message model motion network objective offer outcome owner partner
    plan platform policy portfolio pricing process product profit program progress project
    quality quota region renewal report resource review risk roadmap role schedule segment
    service signal skill spend stakeholder status success supplier support survey system
    target task territory timeline tool trend trust upsell usage value vendor vision volume
    workflow clearly quickly often rarely jointly overall directly carefully mostly"""
VOCABULARY = [*WORDS, *_EVERYDAY.split()]
PROFILES = ("plain", "rich", "media")


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random, chars: int) -> str:
    out: list[str] = []
    while sum(len(s) + 1 for s in out) < chars:
        out.append(sentence(rng, rng.randint(8, 16)))
    return " ".join(out)


def everyday_sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(VOCABULARY, k=n)).capitalize() + "."


def everyday_paragraph(rng: random.Random, chars: int) -> str:
    """Sentences of 8 to 18 words until the paragraph has `chars` characters."""
    text = everyday_sentence(rng, rng.randint(8, 18))
    while len(text) < chars:
        text += " " + everyday_sentence(rng, rng.randint(8, 18))
    return text


@dataclass
class Generated:
    """A bank, the same questions as text2qti Markdown, and media files (relative path →
    bytes, relative to the bank's folder)."""

    bank: dict[str, Any]
    text2qti: str
    media: dict[str, bytes] = field(default_factory=dict)


def _indented(marker: str, text: str) -> str:
    """`text` after a text2qti marker, its further lines indented under its first."""
    pad = " " * len(marker)
    lines = text.split("\n")
    return "\n".join([marker + lines[0], *(pad + line if line else "" for line in lines[1:])])


def rich_explanation(rng: random.Random) -> str:
    """2-3 paragraphs with emphasis, and each extra by its own share of the questions."""
    parts = [everyday_paragraph(rng, rng.randint(200, 500)) for _ in range(rng.randint(2, 3))]
    words = parts[0].split(" ")
    at = rng.randrange(1, len(words) - 2)
    words[at] = f"**{words[at]}**"
    words[at + 1] = f"*{words[at + 1]}*"
    parts[0] = " ".join(words)
    if rng.random() < 0.2:
        parts.insert(1, "\n".join(f"- {everyday_sentence(rng, 6)}" for _ in range(3)))
    # Links, formulas, tables and code differ from question to question, as they do in real
    # banks: the same formula in every question would be rendered once and cached.
    if rng.random() < 0.1:
        parts[-1] += f" See [the guide](https://example.com/guide/{rng.randrange(1000)})."
    if rng.random() < 0.1:
        a, b = rng.randrange(1, 100), rng.randrange(100, 1000)
        parts[-1] += (
            f" The rate is $r_{{{a % 7}}} = \\frac{{{a}}}{{{b}}} \\approx {a / b:.2f}$ here."
        )
    if rng.random() < 0.05:
        rows = "\n".join(f"| {m} | {rng.randrange(100)} |" for m in ("Jan", "Feb", "Mar"))
        parts.append(f"| Month | Leads |\n|---|---:|\n{rows}")
    if rng.random() < 0.05:
        parts.append(
            f"```python\nleads = {rng.randrange(10, 500)}\nwon = {rng.randrange(1, 10)}\n"
            "print(f'{won / leads:.0%}')\n```"
        )
    return "\n\n".join(parts)


def _png(width: int, height: int, rng: random.Random) -> bytes:
    """An RGB PNG: coloured bars with noise, so it compresses about as little as a photo."""
    bars = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(4)]
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            r, g, b = bars[x * len(bars) // width] if y > height // 3 else (250, 250, 250)
            noise = rng.randrange(32)
            rows += bytes((r ^ noise, g ^ noise, b ^ noise))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def _jpeg(width: int, height: int, comment: str) -> bytes:
    """A baseline greyscale JPEG of one even grey: every 8×8 block is a zero DC difference
    and end-of-block, under Huffman tables of one code each (so each block is two 0 bits)."""

    def segment(marker: int, data: bytes) -> bytes:
        return struct.pack(">HH", marker, len(data) + 2) + data

    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1, for symbol 0
    blocks = -(-width // 8) * -(-height // 8)
    bits = "00" * blocks
    bits += "1" * (-len(bits) % 8)  # pad the last byte with 1 bits
    scan = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
    return b"".join(
        [
            b"\xff\xd8",
            segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            segment(0xFFFE, comment.encode()),
            segment(0xFFDB, b"\x00" + b"\x01" * 64),
            segment(0xFFC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"),
            segment(0xFFC4, b"\x00" + one_code),
            segment(0xFFC4, b"\x10" + one_code),
            segment(0xFFDA, b"\x01\x01\x00\x00\x3f\x00"),
            scan,
            b"\xff\xd9",
        ]
    )


def generate(n: int, profile: str = "plain", seed: int = 7) -> Generated:
    """n questions of `profile` as a canonical bank, as text2qti Markdown, and their media."""
    rng = random.Random(seed)
    extra = random.Random(seed + 6)  # the profiles' additions; `plain` draws stay as they were
    questions = []
    media: dict[str, bytes] = {}
    md = [f"Quiz title: Bench {n}", "Quiz description: Generated scenario bank", ""]
    for i in range(n):
        scenario = paragraph(rng, 600)
        prompt = sentence(rng, 12).rstrip(".") + "?"
        choices = [sentence(rng, 10) for _ in range(4)]
        correct = rng.randrange(4)
        explanation = paragraph(rng, 1200)
        feedback: list[str | None] = [None] * 4
        t2q_text = f"{scenario} {prompt}"
        if profile == "rich":
            explanation = rich_explanation(extra)
            if extra.random() < 1 / 3:
                feedback = [everyday_sentence(extra, 9) for _ in choices]
        elif profile == "media" and extra.random() < 0.1:
            name = f"media/case-{i:06d}" + (".png" if len(media) % 2 == 0 else ".jpg")
            size = (64 + 8 * extra.randrange(8), 48 + 8 * extra.randrange(4))
            media[name] = _png(*size, extra) if name.endswith(".png") else _jpeg(*size, f"case {i}")
            image = f"![Chart of leads in case {i + 1}]({{}})"
            scenario = f"{scenario}\n\n{image.format(name)}"
            t2q_text = f"{t2q_text}\n\n{image.format('content/' + name)}"
        question: dict[str, Any] = {
            "id": f"q{i:06d}",
            "type": "single_choice",
            "scenario": scenario,
            "prompt": prompt,
            "choices": [
                {"id": f"c{j}", "text": c, "correct": j == correct}
                | ({"feedback": feedback[j]} if feedback[j] else {})
                for j, c in enumerate(choices)
            ],
            "explanation": explanation,
        }
        questions.append(question)
        md.append(_indented(f"{i + 1}.  ", t2q_text))
        md.append(_indented("... ", explanation))
        for j, c in enumerate(choices):
            md.append(f"{'*' if j == correct else ''}{'abcd'[j]}) {c}")
            if feedback[j]:
                md.append(f"... {feedback[j]}")
        md.append("")
    bank = {
        "format": "packager.question-bank/1",
        "id": f"bench-{n}",
        "title": f"Bench {n}",
        "version": "1.0.0",
        "questions": questions,
    }
    return Generated(bank, "\n".join(md), media)
