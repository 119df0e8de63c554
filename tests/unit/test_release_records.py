"""release_records: publishing a build's staged packages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from packager import fsutil, release_records
from packager.errors import PackagerIOError
from packager.release_jobs import JobResult
from tests.unit.test_fsutil import held_open


def test_a_package_held_open_stops_publishing_saying_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A package open in another program on Windows (an upload, OneDrive) stopped the build
    with "Access is denied", the packages before it new and those after it old, unsaid."""
    names = ["demo-1.0.0.qti12.zip", "demo-1.0.0.qti21.zip", "demo-1.0.0.cc.imscc"]
    for name in [*names, release_records.SUMS_FILE]:
        (tmp_path / name).write_bytes(b"old")
    results = [JobResult("demo.json", "demo", name.split(".")[3], "built", name,
                         fsutil.stage(tmp_path / name, b"new")) for name in names]
    held_open(monkeypatch, tmp_path / names[1], None)
    with pytest.raises(PackagerIOError) as caught:
        release_records.publish(tmp_path, results, clean=False)
    assert caught.value.message.startswith(f"{tmp_path / names[1]}: cannot write: Access is "
                                           "denied: another program holds the file open")
    assert caught.value.hints[-1] == (
        f"1 file replaced already ({tmp_path / names[0]}), 2 files not ({tmp_path / names[1]}, "
        f"{tmp_path / names[2]}): the folder holds new files beside old ones until a run "
        "writes them all")
    assert [(tmp_path / name).read_bytes() for name in names] == [b"new", b"old", b"old"]
    assert sorted(os.listdir(tmp_path)) == sorted(names)  # no SHA256SUMS, no temporary file


def test_the_report_records_the_zlib_ng_that_deflated_the_packages() -> None:
    """Two versions of a deflate library may deflate otherwise: two builds' packages differ
    in bytes, each entry alike, and the report said nothing that told the two apart (review
    F9)."""
    from zlib_ng import zlib_ng

    report = release_records.build_report([], [], 1.0)
    assert report["zlib_ng_version"] == zlib_ng.ZLIBNG_RUNTIME_VERSION
    assert list(report)[:2] == ["packager_version", "zlib_ng_version"]


def _summary(n: int) -> dict[str, object]:
    return {"questions_exported": n, "questions_skipped": [f"q{n}"],
            "fidelity": [{"question_id": "q1", "feature": "math", "kind": "changed",
                          "message": "«rendered» as an image ☕"}], "xsd_validated": ["a.xml"]}


def test_records_are_written_as_dumps_writes_the_report_and_state(tmp_path: Path) -> None:
    """Each job encodes its summary where it ran (JobResult.summary_json); the record files
    joined from those are byte for byte what dumps wrote of the report and the state, for
    built, cached (not encoded), skipped and unusual reports alike."""
    from packager.jsonfmt import dumps

    results = [
        JobResult("a.json", "a", "qti12", "built", "a-1.0.0.qti12.zip", sha256="1" * 64,
                  size=3, seconds=0.5, report=_summary(1), input_hash="h1"),
        JobResult("a.json", "a", "gift", "cached", "a-1.0.0.gift.txt", sha256="2" * 64,
                  size=4, report=_summary(2), input_hash="h2"),
        JobResult("a.json", "a", "aiken", "skipped", report=_summary(0), reason="none",
                  input_hash="h3"),
        # A state from an older build whose report holds a key more, and one missing.
        JobResult("b.json", "b", "moodle", "cached", "b-1.0.0.moodle.xml", sha256="3" * 64,
                  report={"fidelity": [], "questions": 2, "xsd_validated": []}),
    ]
    for r in results:
        if r.status != "cached":
            r.summary_json = release_records.summary_json(r.report)
    report = release_records.build_report(results, [], 2.0)
    release_records.write_records(tmp_path, results, report)
    assert (tmp_path / release_records.REPORT_FILE).read_text(encoding="utf-8") == dumps(report)
    assert (tmp_path / release_records.STATE_FILE).read_text(encoding="utf-8") == dumps(
        release_records.state_payload(results))
    # And the job's own encoding is what is written, not a second one of its report.
    results[0].summary_json = release_records.summary_json(_summary(7))
    release_records.write_records(tmp_path, results, report)
    for name in (release_records.REPORT_FILE, release_records.STATE_FILE):
        assert '"questions_skipped": ["q7"]' in (tmp_path / name).read_text(encoding="utf-8")


def _dumps_as_it_was(payload: dict[str, object]) -> str:
    """jsonfmt.dumps before it wrote in pieces: the oracle of its layout."""
    import json

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))

    lines = []
    for key, value in payload.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(compact(item) for item in value)
            lines.append(f"  {compact(key)}: [\n    {items}\n  ]")
        else:
            lines.append(f"  {compact(key)}: {compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


@pytest.mark.parametrize("payload", [
    {}, {"a": []}, {"a": [1]}, {"a": [{"b": "☕ «x»"}, [1, 2], None], "c": {"d": []}, "e": 1.5},
    {"version": 2, "entries": {"x::y": {"report": {"fidelity": []}}}},
])
def test_dumps_keeps_its_layout(payload: dict[str, object]) -> None:
    from packager.jsonfmt import dumps

    assert dumps(payload) == _dumps_as_it_was(payload)


def test_records_are_written_a_piece_at_a_time(tmp_path: Path) -> None:
    """The record files are 15 MB each for a 10,000-question bank (75 MB at 50,000), written
    after the last job, when the build's process is at its largest: encoding each whole
    (and the report's artefacts twice) made it the build's peak (503 MB against 440)."""
    import tracemalloc

    notes = [{"question_id": f"q{n}", "feature": "math", "kind": "changed",
              "message": "rendered as an image"} for n in range(20_000)]
    results = [JobResult("a.json", "a", target, "built", f"a-1.0.0.{target}.zip",
                         sha256="1" * 64, size=3, input_hash="h",
                         report={"questions_exported": 1, "questions_skipped": [],
                                 "fidelity": notes, "xsd_validated": []})
               for target in ("qti12", "qti21", "qti30", "cc", "moodle", "gift", "aiken", "html")]
    for r in results:
        r.summary_json = release_records.summary_json(r.report)
    report = release_records.build_report(results, [], 1.0)
    tracemalloc.start()
    try:
        release_records.write_records(tmp_path, results, report)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    written = (tmp_path / release_records.REPORT_FILE).stat().st_size
    assert peak < written / 3  # about one artefact's summary at a time


def test_records_name_a_bank_file_whose_name_is_not_utf8(tmp_path: Path) -> None:
    """A bank file named in another encoding (`b\\xff.json` on Linux) is named by Python with
    a lone surrogate (`b\\udcff.json`), which UTF-8 cannot encode: writing the records raised
    a traceback after the packages were written. Written as JSON's escape, which reads back
    as the same name (the next build's state lookup)."""
    import json

    name = os.fsdecode(b"b\xff.json")
    results = [JobResult(name, "b", "gift", "built", "b-1.0.0.gift.txt", sha256="1" * 64,
                         size=3, report=_summary(1), input_hash="h")]
    report = release_records.build_report(results, [], 1.0)
    report["banks"] = [{"file": name}]
    release_records.write_records(tmp_path, results, report)
    written = json.loads((tmp_path / release_records.REPORT_FILE).read_text(encoding="utf-8"))
    assert written["banks"][0]["file"] == name
    state = json.loads((tmp_path / release_records.STATE_FILE).read_text(encoding="utf-8"))
    assert list(state["entries"]) == [f"{name}::gift"]
