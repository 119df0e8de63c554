"""Whatever `validate` accepts, every format exports and `check` accepts (issue 14, item 8).

Rich text is generated from an alphabet full of hostile and awkward fragments (raw HTML
the allow-list knows and does not know, comments, links with every scheme, character
references, LaTeX with text, colours and unknown commands, tables, lists). Each text is put
in a small bank with a real image beside it; when the bank validates, every target must
export it and the package must pass the same checks as `packager check`.
FUZZ_EXAMPLES sets how many banks are tried (default 20; `make fuzz` raises it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packager.errors import NothingToExport
from packager.formats import TARGETS
from packager.package_check import check_package
from packager.pipeline import LoadedBank, check, export
from packager.readers.base import Source
from tests.conftest import ROOT, examples, make_ctx

EXAMPLES = examples(20)
FRAGMENTS = [
    "word", " ", "Ünïcødé ✓", "\n", "\n\n", "- ", "1. ", "> ", "# ", "**", "_", "`", "```\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n", "[x](", "https://example.com", "mailto:a@b.c", "#top",
    "javascript:alert(1)", "data:text/html,x", ")", "<https://example.com>", "<javascript:x>",
    "<a>", "<a href=\"https://example.com\">", "</a>", "<b>", "</b>", "<em>", "</em>",
    "<table><tr><th scope=\"col\">", "<th scope=\"bogus\">", "</th></tr></table>", "<td>", "<br>",
    "<!--", "-->", "<!-- c -->", "<script>", "</script>", "<img src=\"media/ok.png\" alt=\"i\">",
    "![i](media/ok.png)", "![e](media/evil.html)", "<span class=\"x\">", "</span>", "<p>",
    "</p>", "<div>", "</div>", "<sub>", "<sup>", "&amp;", "&lt;", "&#0;", "&#x41;", "&#7;",
    "&nbsp;", "$", "$$", "x^2", "\\frac{1}{2}", "\\text{<b>t</b>}", "\\color{red}{y}",
    "\\color{red!5}{y}", "\\style{color:red}{z}", "\\href{https://x}{y}", "\\unknown", "{", "}",
    "\\begin{array}{cc} a & b \\end{array}", "\\mathbf{v}", "<math>", "</math>", "\\", "&",
    "<", ">", "'", '"', "\\(", "\\)", "\\(x<y\\)",
]
texts = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14).map("".join)


def _bank_json(prompt: str, explanation: str, choice: str) -> str:
    import json

    return json.dumps({
        "format": "packager.question-bank/1", "id": "fuzz", "title": "Fuzz",
        "questions": [{
            "id": "q1", "type": "single_choice", "prompt": prompt,
            "choices": [{"id": "a", "text": choice, "correct": True}, {"id": "b", "text": "No"}],
            "explanation": explanation,
        }],
    })


@pytest.fixture(scope="module")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "media").mkdir()
    (folder / "media" / "ok.png").write_bytes((ROOT / "content" / "media" / "leads-chart.png").read_bytes())
    (folder / "media" / "evil.html").write_bytes(b"<script>alert(1)</script>")
    return folder


def test_what_validates_exports_to_every_format_and_passes_check(bank_dir: Path, xsd_path: Path):
    accepted: list[str] = []

    @settings(deadline=None, max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
    @given(prompt=texts, explanation=texts, choice=texts)
    def run(prompt: str, explanation: str, choice: str) -> None:
        text = _bank_json(prompt, explanation, choice)
        source = Source(str(bank_dir / "fuzz.json"), text.encode("utf-8"), bank_dir)
        bank, diagnostics = check(source)
        if bank is None:
            return
        accepted.append(prompt)
        from packager.checks import scan_bank

        loaded = LoadedBank(bank, source, tuple(diagnostics), scan_bank(bank, bank_dir))
        for name in TARGETS:
            try:
                artifact = export(loaded, name, make_ctx(xsd_path, skip_unsupported=True))
            except NothingToExport as error:
                # The bank's one question may be one this target cannot carry (Aiken: an
                # option that shows nothing, `<p>`, is empty as one line): it is reported
                # unsupported, and a package of no question is not written.
                assert error.summary["questions_skipped"] == ["q1"], (name, choice, error.reason)
                continue
            out = bank_dir / f"out.{name}.{artifact.name.rsplit('.', 1)[-1]}"
            out.write_bytes(artifact.data)
            if out.suffix in (".zip", ".xml"):
                result = check_package(out, xsd_path)
                assert result.ok, (name, prompt, explanation, choice, result.to_json())

    run()
    # The alphabet is hostile, but not so hostile that nothing gets through: the property
    # must have been exercised on accepted banks.
    assert accepted
