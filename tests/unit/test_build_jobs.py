"""A bug inside a build job becomes a failed job with a message, never a pickling error."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from packager import release_jobs, release_plan, release_records, release_workers
from packager.context import BuildContext


def _unchecked() -> dict[str, Any]:
    """A job's BuildContext fields: output not checked against its schemas."""
    return {
        "epoch": BuildContext().epoch,
        "strict": False,
        "skip_unsupported": True,
        "validate_output": False,
        "xsd_dir": None,
    }


def test_an_unexpected_error_in_a_job_is_a_failed_result(
    load_bank: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = load_bank("neon-broccoli")
    monkeypatch.setitem(release_jobs.LOADED, loaded.source.name, loaded)

    def broken(*args: object) -> None:
        etree.fromstring(b"<unclosed>")  # an lxml error carries an unpicklable error log

    monkeypatch.setattr("packager.pipeline.export", broken)
    ctx_args = _unchecked()
    result = release_jobs._run_job((loaded.source.name, "qti12", ctx_args, tmp_path))
    assert result.status == "failed" and result.error is not None
    assert result.error["exit_code"] == 1
    assert result.error["message"].startswith("internal error XMLSyntaxError")
    assert pickle.loads(pickle.dumps(result)).error == result.error  # crosses the pipe
    assert not list(tmp_path.iterdir())  # nothing staged


def test_a_job_leaves_the_writers_caches_empty(
    load_bank: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # They hold strings of the bank's questions for one format: kept, they stayed in the
    # worker for its later jobs (and went to every worker from a job run before the fork).
    from packager.richtext import render
    from packager.writers import aiken

    loaded = load_bank("neon-broccoli")
    monkeypatch.setitem(release_jobs.LOADED, loaded.source.name, loaded)
    ctx_args = _unchecked()
    result = release_jobs._run_job((loaded.source.name, "aiken", ctx_args, tmp_path))
    assert result.status == "built" and result.staged is not None
    assert aiken.one_line.cache_info().currsize == 0
    # What loading rendered stays: every job of the bank uses it.
    assert render.cache_info().currsize > 0


@pytest.mark.parametrize("target", ["qti21", "moodle", "html"])
def test_a_job_writes_its_package_into_the_staged_file_as_it_is_made(
    load_bank: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """Held whole first, a 50,000-question Moodle file (180 MB) or QTI zip (92 MB) sat in
    its worker's memory beside everything that made it; the bytes are the same."""
    from packager import pipeline

    loaded = load_bank("neon-broccoli")
    monkeypatch.setitem(release_jobs.LOADED, loaded.source.name, loaded)
    ctx_args = {**_unchecked(), "validate_output": True}
    held: list[bytes] = []
    export = pipeline.export

    def watched(*args: Any) -> Any:
        artifact = export(*args)
        held.append(artifact.data)
        return artifact

    monkeypatch.setattr(pipeline, "export", watched)
    result = release_jobs._run_job((loaded.source.name, target, ctx_args, tmp_path))
    assert result.status == "built" and result.staged is not None
    assert held == [b""]  # nothing returned in memory
    data = result.staged.read_bytes()
    assert data == export(loaded, target, BuildContext(**ctx_args)).data
    assert (result.size, result.sha256) == (len(data), hashlib.sha256(data).hexdigest())


def test_a_job_is_built_on_a_thread_of_its_own(
    load_bank: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the main thread, a job's allocations took glibc's free chunks scattered through
    the heap that loading left: the 50,000-question QTI 1.2 job cost twice the CPU per
    question of the 10,000-question one. A new thread gets an arena of its own."""
    import threading

    from packager import pipeline

    loaded = load_bank("neon-broccoli")
    monkeypatch.setitem(release_jobs.LOADED, loaded.source.name, loaded)
    export = pipeline.export
    threads: list[threading.Thread] = []

    def watched(*args: Any) -> Any:
        threads.append(threading.current_thread())
        return export(*args)

    monkeypatch.setattr(pipeline, "export", watched)
    result = release_jobs._run_job((loaded.source.name, "gift", _unchecked(), tmp_path))
    assert result.status == "built"
    assert threads and threads[0] is not threading.main_thread()
    assert not threads[0].is_alive()  # waited for


def test_what_a_job_s_thread_raises_is_raised_in_the_caller(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # _build_job turns errors into failed results; anything else (an interruption, a bug
    # in that handling) must not pass for a job that returned nothing.
    def interrupted(job: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(release_jobs, "_build_job", interrupted)
    with pytest.raises(KeyboardInterrupt):
        release_jobs._run_job(("bank.json", "gift", _unchecked(), Path(".")))


def test_a_source_without_its_bytes_keeps_their_fingerprint(tmp_path: Path) -> None:
    from packager.readers.base import Source

    path = tmp_path / "bank.json"
    path.write_bytes(b'{"x": 1}')
    source = Source.from_path(path)
    slim = source.without_data()
    assert slim.data == b""
    expected = (hashlib.sha256(b'{"x": 1}').hexdigest(), 8)
    assert source.fingerprint() == expected
    assert slim.fingerprint() == expected


def _job(target: str) -> tuple[str, str, dict[str, Any], Path]:
    return ("bank.json", target, {}, Path("dist"))


def test_while_a_schema_compiles_this_process_runs_the_cheapest_ready_jobs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Jobs whose schemas are compiled run here, cheapest first, until the compile ends; a
    job that needs the still-compiling schema is left for the workers."""
    from packager import xsd

    compiling = {"qti30"}
    ran: list[str] = []

    def run_job(job: tuple[str, str, dict[str, Any], Path]) -> release_jobs.JobResult:
        ran.append(job[1])
        if job[1] == "gift":
            compiling.clear()  # the compile ends during the second job
        return release_jobs.JobResult(job[0], "bank", job[1], "built")

    monkeypatch.setattr(release_jobs, "_run_job", run_job)
    monkeypatch.setattr(xsd, "prewarming", lambda: bool(compiling))
    monkeypatch.setattr(xsd, "ready", lambda keys, _dir: not set(keys) & compiling)
    work = [[_job(t)] for t in ("qti30", "qti21", "moodle", "gift", "aiken")]  # costliest first
    results = list(release_workers._run_while_compiling(work, BuildContext()))
    assert ran == ["aiken", "gift"]
    assert [r.target for r in results] == ran
    assert [group[0][1] for group in work] == ["qti30", "qti21", "moodle"]


def test_nothing_runs_here_when_no_schema_is_compiling(monkeypatch: pytest.MonkeyPatch) -> None:
    from packager import xsd

    monkeypatch.setattr(xsd, "prewarming", lambda: False)
    monkeypatch.setattr(release_jobs, "_run_job", lambda job: pytest.fail("ran a job"))
    work = [[_job("qti12")]]
    assert list(release_workers._run_while_compiling(work, BuildContext())) == []
    assert work == [[_job("qti12")]]


def test_only_jobs_needing_the_compiling_schema_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    from packager import xsd

    monkeypatch.setattr(xsd, "prewarming", lambda: True)
    monkeypatch.setattr(xsd, "ready", lambda keys, _dir: "qti30" not in keys)
    monkeypatch.setattr(release_jobs, "_run_job", lambda job: pytest.fail("ran a job"))
    work = [[_job("qti30")]]
    assert list(release_workers._run_while_compiling(work, BuildContext())) == []
    assert work == [[_job("qti30")]]


def test_the_targets_sharing_the_player_run_as_one_group_a_bank() -> None:
    work = [(bank, target, {}, Path("dist")) for bank, target in (
        ("a.json", "qti21"), ("a.json", "scorm12"), ("b.json", "scorm12"), ("a.json", "gift"),
        ("a.json", "html"), ("b.json", "html"), ("a.json", "scorm2004"))]
    groups = release_workers._shared_work(work)
    assert [[job[:2] for job in group] for group in groups] == [
        [("a.json", "qti21")],
        [("a.json", "scorm12"), ("a.json", "html"), ("a.json", "scorm2004")],
        [("b.json", "scorm12"), ("b.json", "html")],
        [("a.json", "gift")],
    ]


def test_spawned_workers_take_a_format_each_and_a_bank_s_player_formats_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A fresh worker compiles its own schemas: every job of a format goes to one worker,
    but the player formats of a bank go together, as forked workers have them."""
    work = [(bank, target, {}, Path("dist")) for bank, target in (
        ("a.json", "qti30"), ("b.json", "qti30"), ("a.json", "scorm12"), ("b.json", "scorm12"),
        ("a.json", "html"), ("b.json", "html"), ("a.json", "gift"))]
    seen: list[list[tuple[str, str]]] = []

    def in_workers(groups: list[list[Any]], *args: object) -> Any:
        seen.extend([job[:2] for job in group] for group in groups)
        return iter(())

    monkeypatch.setattr(release_workers, "_in_workers", in_workers)
    list(release_workers._spawned(release_workers._shared_work(work), 2, "spawn"))
    assert seen == [
        [("a.json", "qti30"), ("b.json", "qti30")],
        [("a.json", "scorm12"), ("a.json", "html")],
        [("b.json", "scorm12"), ("b.json", "html")],
        [("a.json", "gift")],
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_player_packages_built_together_are_the_ones_built_alone(
    load_bank: Any, tmp_path: Path, xsd_path: Path, jobs: int
) -> None:
    """scorm12, scorm2004 and html of a bank share their quiz data in a build: each package
    is byte for byte the one its export makes alone."""
    from packager.pipeline import export

    loaded = load_bank("sample-all-types")
    ctx = BuildContext(skip_unsupported=True, xsd_dir=xsd_path)
    targets = ["scorm12", "scorm2004", "html"]
    build_plan = release_plan.plan([loaded], targets, ctx, tmp_path, force=True)
    results = release_workers.run(build_plan, ctx, jobs)
    try:
        for result in results:
            assert result.status == "built" and result.staged is not None
            alone = export(loaded, result.target, ctx).data
            assert Path(result.staged).read_bytes() == alone
    finally:
        release_jobs.discard_staged(results)


def _build_samples(
    load_bank: Any, out: Path, xsd_path: Path, jobs: int
) -> list[release_jobs.JobResult]:
    loaded = [load_bank("neon-broccoli"), load_bank("sample-all-types")]
    ctx = BuildContext(skip_unsupported=True, xsd_dir=xsd_path)
    plan = release_plan.plan(loaded, ["qti21", "moodle", "gift", "scorm12", "html"], ctx, out,
                        force=True)
    results = release_workers.run(plan, ctx, jobs)
    release_jobs.discard_staged(results)
    return results


@pytest.mark.parametrize("method", ["spawn", "forkserver"])
def test_workers_started_afresh_build_what_forked_ones_build(
    load_bank: Any, tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """A spawned worker inherits nothing: the banks reach it through the pool's initializer,
    and it compiles its schemas itself. Its packages are byte for byte the forked ones."""
    import multiprocessing

    if method not in multiprocessing.get_all_start_methods():
        pytest.skip(f"no {method} here")
    used: list[str] = []
    real = multiprocessing.get_context

    def get_context(name: str | None = None) -> Any:
        used.append(str(name))
        return real(name)

    monkeypatch.setattr(multiprocessing, "get_context", get_context)
    # Every job to the workers: none runs in this process while a schema compiles.
    monkeypatch.setattr("packager.xsd.prewarming", lambda: False)
    monkeypatch.setenv("PACKAGER_START_METHOD", "fork")
    forked = _build_samples(load_bank, tmp_path / "fork", xsd_path, jobs=2)
    monkeypatch.setenv("PACKAGER_START_METHOD", method)
    for name in list(release_jobs.LOADED):  # a spawned worker sees none of the parent's
        monkeypatch.delitem(release_jobs.LOADED, name)
    fresh = _build_samples(load_bank, tmp_path / method, xsd_path, jobs=2)
    assert used == ["fork", method]
    assert [r.status for r in fresh] == ["built"] * 10, [r.error for r in fresh]
    assert [(r.name, r.sha256) for r in fresh] == [(r.name, r.sha256) for r in forked]
    assert all(r.peak_rss_mb and r.peak_rss_mb > 10 for r in fresh)  # a worker's own, in MiB


def test_a_build_without_the_resource_module_reports_no_peak_memory(
    load_bank: Any, tmp_path: Path, xsd_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "resource", None)  # as on Windows
    results = _build_samples(load_bank, tmp_path, xsd_path, jobs=1)
    assert [r.status for r in results] == ["built"] * 10
    report = release_records.build_report(results, [load_bank("neon-broccoli")], 1.0)
    assert {a["peak_rss_mb"] for a in report["artifacts"]} == {None}


def _dies_in_a_worker(
    monkeypatch: pytest.MonkeyPatch, load_bank: Any, tmp_path: Path, *, once: bool
) -> str:
    """Jobs of target "boom" kill their worker (only the first time, if `once`); the others
    are built. Returns the loaded bank's file name."""
    import os

    loaded = load_bank("neon-broccoli")
    monkeypatch.setitem(release_jobs.LOADED, loaded.source.name, loaded)
    parent, marker = os.getpid(), tmp_path / "died"

    def run_job(job: release_jobs.Job) -> release_jobs.JobResult:
        if job[1] == "boom" and os.getpid() != parent and not (once and marker.exists()):
            marker.touch()
            os._exit(1)  # as a worker killed for memory ends: no result, no exception
        return release_jobs.JobResult(job[0], "neon-broccoli", job[1], "built")

    monkeypatch.setattr(release_jobs, "_run_job", run_job)
    return loaded.source.name


def test_jobs_lost_with_a_dead_worker_are_run_again_alone(
    monkeypatch: pytest.MonkeyPatch, load_bank: Any, tmp_path: Path
) -> None:
    """A worker killed for memory breaks the pool: the jobs it and the others had not
    finished are lost. Each runs again alone in a fresh worker, and the build goes on."""
    bank = _dies_in_a_worker(monkeypatch, load_bank, tmp_path, once=True)
    groups = [[(bank, target, {}, tmp_path)] for target in ("first", "boom", "after")]
    results = {r.target: r for r in release_workers._in_workers(groups, 1, "fork", None)}
    assert {t: r.status for t, r in results.items()} == {
        "first": "built", "boom": "built", "after": "built"
    }
    assert results["first"].retried is None
    for target in ("boom", "after"):  # the one that died, and the one queued behind it
        assert "its worker process stopped (BrokenProcessPool" in str(results[target].retried)
    report = release_records.build_report(list(results.values()), [], 1.0)
    assert [a["retried"] is not None for a in report["artifacts"]] == [False, True, True]


def test_a_job_that_kills_its_worker_again_fails_alone(
    monkeypatch: pytest.MonkeyPatch, load_bank: Any, tmp_path: Path
) -> None:
    bank = _dies_in_a_worker(monkeypatch, load_bank, tmp_path, once=False)
    groups = [[(bank, target, {}, tmp_path)] for target in ("first", "boom", "after")]
    results = {r.target: r for r in release_workers._in_workers(groups, 1, "fork", None)}
    assert {t: r.status for t, r in results.items()} == {
        "first": "built", "boom": "failed", "after": "built"
    }
    error = results["boom"].error
    assert error is not None and "was not built: a worker process" in error["message"]
    assert "stopped again when it ran alone" in error["hints"][0]


def test_when_no_job_came_back_none_is_run_again(
    monkeypatch: pytest.MonkeyPatch, load_bank: Any, tmp_path: Path
) -> None:
    """Workers that cannot run a job at all (a spawned worker re-running an unguarded
    script): each job would die again, so all fail at once, with the --jobs 1 hint."""
    bank = _dies_in_a_worker(monkeypatch, load_bank, tmp_path, once=True)
    groups = [[(bank, target, {}, tmp_path)] for target in ("boom", "after")]
    results = list(release_workers._in_workers(groups, 1, "fork", None))
    assert [r.status for r in results] == ["failed", "failed"]
    assert all(r.retried is None for r in results)
    assert all("--jobs 1" in r.error["hints"][0] for r in results if r.error)
