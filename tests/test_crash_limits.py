"""`vnplans.limits`: a file that hangs, eats memory or crashes the PDF library fails
alone, with a one-line reason, and the batch goes on."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vnplans.errors import BadInputError, LimitExceededError, NoAppendixError
from vnplans.limits import LimitedWorker, Limits, run_with_limits

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "pdfs" / "dn2020.pdf"
VNPLANS = [sys.executable, "-c", "import sys; from vnplans.cli import main; sys.exit(main())"]


# Module-level, so that the warm worker can receive them by reference.
def double(x: int) -> int:
    return 2 * x


def hang(seconds: float) -> None:
    time.sleep(seconds)


def eat_memory() -> None:
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))


def segfault() -> None:
    ctypes.string_at(0)


def no_appendix(path: str) -> None:
    raise NoAppendixError("no plan appendix table found", file=path)


def key_error() -> None:
    raise KeyError("missing")


def worker_pid() -> int:
    return os.getpid()


@pytest.mark.parametrize("run", ["one-off", "warm worker"])
def test_outcomes(run: str):
    worker = LimitedWorker()

    def call(fn, *args, seconds=30.0, memory_mb=512):  # noqa: ANN001, ANN202
        if run == "one-off":
            return run_with_limits(fn, *args, seconds=seconds, memory_mb=memory_mb)
        return worker.call(fn, args, {}, seconds=seconds, memory_mb=memory_mb)

    try:
        assert call(double, 21) == 42
        with pytest.raises(LimitExceededError, match=r"took longer than 0\.5 s .*--timeout"):
            call(hang, 60, seconds=0.5)
        with pytest.raises(LimitExceededError, match=r"more than 256 MB .*--max-memory"):
            call(eat_memory, memory_mb=256)
        with pytest.raises(BadInputError, match=r"crashed .*SIGSEGV"):
            call(segfault)
        with pytest.raises(NoAppendixError) as err:
            call(no_appendix, "plan.pdf")
        assert err.value.file == "plan.pdf" and err.value.reason == "no plan appendix table found"
        with pytest.raises(KeyError) as err:
            call(key_error)
        assert "key_error" in err.value.worker_traceback
        assert call(double, 4) == 8  # still serving after all of that
    finally:
        worker.close()


def test_warm_worker_is_reused_and_replaced_after_a_crash():
    worker = LimitedWorker()
    try:
        first = worker.call(worker_pid, (), {}, seconds=30, memory_mb=512)
        assert worker.call(worker_pid, (), {}, seconds=30, memory_mb=512) == first
        assert first != os.getpid()
        with pytest.raises(BadInputError):
            worker.call(segfault, (), {}, seconds=30, memory_mb=512)
        second = worker.call(worker_pid, (), {}, seconds=30, memory_mb=512)
        assert second != first
        with pytest.raises(LimitExceededError):
            worker.call(hang, (60,), {}, seconds=0.5, memory_mb=512)
        assert worker.call(worker_pid, (), {}, seconds=30, memory_mb=512) not in (first, second)
    finally:
        worker.close()


def test_limits_from_flags():
    class Args:
        timeout = "auto"
        max_memory = 2048

    auto = Limits.from_args(Args())
    assert auto.seconds_for(pages=3) == 60 + 10 * 3
    Args.timeout, Args.max_memory = "0", 0
    off = Limits.from_args(Args())
    assert off.seconds_for(pages=3) is None and off.memory_mb is None
    Args.timeout, Args.max_memory = "12.5", 300
    fixed = Limits.from_args(Args())
    assert fixed.seconds_for(pages=400) == 12.5 and fixed.memory_mb == 300


def test_limits_run_refuses_bad_files_before_any_worker(tmp_path: Path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(BadInputError, match="empty file"):
        Limits().run(double, empty)


def test_cli_timeout_is_one_line_and_the_batch_goes_on():
    result = subprocess.run([*VNPLANS, "extract", "--no-ocr", "--timeout", "0.001",
                             str(FIXTURE), str(FIXTURE)], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 2 and all("took longer than 0.001 s" in line for line in lines)
    assert result.stdout == ""


def test_cli_memory_limit_fails_the_file_whole(tmp_path: Path):
    """Over the limit, the file fails with one line — never a partial plan from stages
    that swallowed allocation failures."""
    import pymupdf

    big = tmp_path / "forty-pages.pdf"
    with pymupdf.open(REPO / "tests" / "fixtures" / "pdfs" / "bd2023.pdf") as src:
        out = pymupdf.open()
        while out.page_count < 40:
            out.insert_pdf(src, from_page=3)
        out.save(big)
    result = subprocess.run([*VNPLANS, "extract", "--no-ocr", "--max-memory", "2", str(big),
                             str(FIXTURE)], capture_output=True, text=True, cwd=REPO,
                            timeout=300)
    lines = result.stderr.splitlines()
    assert lines[0] == (f"vnplans: {big}: needed more than 2 MB of memory (the per-file "
                        "limit; raise it with --max-memory)"), result.stderr
    assert result.returncode == 1
    # The next file ran too, in a fresh worker: a plan, or the same one-line reason.
    docs = [json.loads(line)["source"]["file"] for line in result.stdout.splitlines()]
    assert len(docs) + len(lines) == 2
    assert all("needed more than 2 MB of memory" in line for line in lines)


@pytest.mark.parametrize("flags", [["--timeout", "abc"], ["--timeout", "-3"],
                                   ["--max-memory", "lots"], ["--max-memory", "-1"]])
def test_bad_limit_flags_are_usage_errors(flags: list[str]):
    result = subprocess.run([*VNPLANS, "extract", *flags, str(FIXTURE)], capture_output=True,
                            text=True, cwd=REPO, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "error: argument" in result.stderr
