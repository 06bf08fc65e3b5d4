"""Per-file time and memory limits: one bad PDF never hangs or sinks a whole run.

    from vnplans.limits import Limits, run_with_limits
    limits = Limits.from_args(args)              # --timeout / --max-memory
    doc = limits.run(extract, path, ocr=False)   # a batch: one warm worker, reused
    doc = run_with_limits(extract, path, seconds=120, memory_mb=2048)   # one-off call

Both run the function in a forked worker process. The caller watches it and kills it
when the wall-clock budget is spent or when its resident memory has grown by more
than the allowance since the file started (checked every 50 ms; the worker's address
space is also capped with `RLIMIT_AS` at twice the allowance + 512 MB, a backstop
against allocations faster than the watch). A killed file fails whole: no partial
result from a stage that swallowed an allocation failure.
Outcomes:

- the result, pickled back to the caller;
- the worker's exception re-raised in the caller (a `VnplansError` keeps its class,
  reason and file; anything else arrives as the same type when it pickles, with the
  worker's traceback text in `exc.worker_traceback`);
- `LimitExceededError` when the time or the memory limit was hit ("took longer than
  120 s (the per-file limit; raise it with --timeout)", "needed more than 2048 MB of
  memory (the per-file limit; raise it with --max-memory)");
- `BadInputError` when the worker died from a signal (a crash inside the PDF library
  on this file, or the kernel's OOM killer): the caller survives and goes on.

`Limits.run(fn, path, …)` is what commands use for a batch. It first checks the file's
bytes with `vnplans.pdf.open.check_pdf_file` in the caller (a missing, empty or
truncated file, or one that is no PDF, fails at once with its one-line reason; one
MuPDF cannot open fails with `open_pdf`'s reason inside `fn`, which reads it), then
hands `fn(path, …)` to a long-lived worker that loaded
the pipeline once (spaCy, YAML knowledge; loaded in the caller before the first fork)
and keeps its caches from file to file; a worker that timed out, crashed or ran out
of memory is replaced by a fresh one for the next file. `fn` must be picklable (a module-level function).
`run_with_limits` forks a fresh worker per call instead (`fn` need not pickle).

Defaults (CLI flags `--timeout`, `--max-pages` and `--max-memory`: `vnplans.cli.limit_options`):

    --timeout SECONDS   per-file wall-clock limit; default `auto` =
                        DEFAULT_BASE_SECONDS + DEFAULT_SECONDS_PER_PAGE × pages
                        (60 s + 10 s per page: an OCR'd page takes a few seconds on
                        two cores), at most DEFAULT_MAX_AUTO_SECONDS (1800 s) however
                        many pages; 0 = no time limit
    --max-pages N       refuse a file of more than N pages before reading any
                        (BadInputError "has N pages, more than the per-file limit");
                        default DEFAULT_MAX_PAGES (2000); 0 = no limit
    --max-memory MB     per-file memory limit; default DEFAULT_MEMORY_MB (2048 MB) of
                        resident memory the file may add to what the worker already
                        holds; 0 = no memory limit

With both limits off (`--timeout 0 --max-memory 0`) `fn` runs in the calling process:
no worker, no isolation.

Only for Linux/POSIX (fork). The worker inherits open database connections: do not
use them in `fn` (do the storing in the caller, which is what ingest does).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from vnplans.errors import BadInputError, LimitExceededError, VnplansError

T = TypeVar("T")

DEFAULT_BASE_SECONDS = 60.0
DEFAULT_SECONDS_PER_PAGE = 10.0
# The automatic budget never exceeds this, however many pages a file claims: the
# longest real plans (a few hundred scanned pages) OCR in well under it, while a
# page-count bomb would otherwise be granted hours (10,000 pages: ~28 h).
DEFAULT_MAX_AUTO_SECONDS = 1800.0
DEFAULT_MEMORY_MB = 2048
# Files with more pages are refused before any page is read (`--max-pages`): plans
# run to a few hundred pages; a PDF of 10,000 tiny blank pages is an attack.
DEFAULT_MAX_PAGES = 2000

_MB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
# Headroom of the address-space backstop above twice the memory limit.
_BACKSTOP_MB = 512
# How often the caller looks at the worker's resident size.
_WATCH_SECONDS = 0.05


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file limits. `seconds=None` means `auto` (by page count) unless
    `no_time_limit`; `memory_mb=None` means no memory limit."""

    seconds: float | None = None
    memory_mb: int | None = DEFAULT_MEMORY_MB
    no_time_limit: bool = False
    base_seconds: float = DEFAULT_BASE_SECONDS
    seconds_per_page: float = DEFAULT_SECONDS_PER_PAGE
    max_auto_seconds: float = DEFAULT_MAX_AUTO_SECONDS
    max_pages: int | None = DEFAULT_MAX_PAGES

    @classmethod
    def from_args(cls, args: Any) -> Limits:
        """From argparse flags `--timeout` (str: "auto" or seconds, 0 = off) and
        `--max-memory` (int MB, 0 = off); missing attributes mean the defaults."""
        timeout = getattr(args, "timeout", None)
        memory = getattr(args, "max_memory", None)
        pages = getattr(args, "max_pages", None)
        memory_mb = DEFAULT_MEMORY_MB if memory is None else (int(memory) or None)
        max_pages = DEFAULT_MAX_PAGES if pages is None else (int(pages) or None)
        if timeout is None or str(timeout).strip().lower() == "auto":
            return cls(seconds=None, memory_mb=memory_mb, max_pages=max_pages)
        seconds = float(timeout)
        return cls(seconds=seconds or None, memory_mb=memory_mb, no_time_limit=not seconds,
                   max_pages=max_pages)

    def seconds_for(self, path: str | Path | None = None, pages: int | None = None) -> float | None:
        """The wall-clock budget for one file (None = unlimited)."""
        if self.no_time_limit:
            return None
        if self.seconds is not None:
            return self.seconds
        if pages is None:
            pages = _page_count(path)
        return min(self.base_seconds + self.seconds_per_page * max(pages, 1),
                   self.max_auto_seconds)

    def check_pages(self, path: str | Path, pages: int) -> None:
        """BadInputError when the file has more pages than `max_pages`."""
        if self.max_pages and pages > self.max_pages:
            raise BadInputError(
                f"has {pages} pages, more than the per-file limit of {self.max_pages} "
                "(raise it with --max-pages)", file=str(path))

    def run(self, fn: Callable[..., T], path: str | Path, *args: Any, **kwargs: Any) -> T:
        """`fn(path, *args, **kwargs)` under these limits, budget sized for `path`, in
        the shared warm worker (see the module docstring)."""
        from vnplans.pdf.open import check_pdf_file
        from vnplans.word import is_word_path

        # What the file's bytes tell fails here, at once; a file MuPDF cannot open
        # fails with open_pdf's reason where `fn` reads it (opening it here too, with
        # all of open_pdf's checks, cost as much again). The page count, when the
        # budget needs it, comes from a bare open. (A Word file is checked where it
        # is read; it has no pages to count.)
        pages = None
        if not is_word_path(path):
            check_pdf_file(path)
            pages = _page_count(path) if self.max_pages or self.seconds is None else None
        if pages is not None:
            self.check_pages(path, pages)
        seconds = self.seconds_for(path, pages)
        # Loaded here, once the file looks like a PDF, and before the worker forks: a
        # replacement worker (after a timeout or a crash) then starts warm at once
        # instead of loading spaCy again.
        from vnplans.pipeline import preload_pipeline

        preload_pipeline()
        if seconds is None and not self.memory_mb:
            return fn(path, *args, **kwargs)
        return _shared_worker().call(fn, (path, *args), kwargs, seconds=seconds,
                                     memory_mb=self.memory_mb)


def _page_count(path: str | Path | None) -> int:
    """Pages of the PDF, cheaply; 1 when it cannot be told (the worker will say why)
    and for a Word file (no pages without rendering it; it reads in well under a
    second, a .doc's conversion in a few)."""
    from vnplans.word import is_word_path

    if path is None or is_word_path(path):
        return 1
    from vnplans.pdf.open import page_count

    return max(page_count(path), 1)


def _address_space_bytes() -> int:
    """Current virtual memory size of this process (VmSize)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _resident_bytes(pid: int) -> int:
    """Resident set size of process `pid` (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def _address_space_cap(memory_mb: int) -> int:
    """The RLIMIT_AS backstop for a file allowed `memory_mb` of resident growth:
    address space grows with allocations before they are touched, so the cap is
    generous; the caller's watch of the resident size is the limit users see."""
    return _address_space_bytes() + (2 * memory_mb + _BACKSTOP_MB) * _MB


def _memory_message(memory_mb: int | None) -> str:
    return (f"needed more than {memory_mb} MB of memory (the per-file limit; "
            "raise it with --max-memory)")


def _time_message(seconds: float) -> str:
    return (f"took longer than {seconds:g} s (the per-file limit; raise it with --timeout)")


def _quiet_worker(parent_pid: int) -> None:
    """Ctrl-C goes to the parent, which decides when the worker dies; the worker dies
    with the parent (a run killed by cron or SIGKILL leaves no orphan behind); and a
    crash in C code is reported by the parent in one line, not as a fault dump."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent_pid)
    import faulthandler

    faulthandler.disable()


def _die_with_parent(parent_pid: int) -> None:
    """Linux PR_SET_PDEATHSIG: SIGKILL this process when its parent dies."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _worker(conn: Any, fn: Callable[..., Any], args: tuple, kwargs: dict,
            memory_mb: int | None, parent_pid: int) -> None:
    _quiet_worker(parent_pid)
    if memory_mb:
        limit = _address_space_cap(memory_mb)
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    kind, value = _run(fn, args, kwargs)
    with contextlib.suppress(OSError, EOFError):
        conn.send_bytes(_dump((kind, value)))
    _leave(conn)


# --- the long-lived worker behind Limits.run -------------------------------------------

# A worker is replaced after this many files, or when its address space has grown by
# more than the memory limit: caches and fragmentation never add up without bound.
WORKER_MAX_TASKS = 500


class LimitedWorker:
    """A forked process that runs one call at a time under the limits, and stays warm
    between calls. Replaced transparently after a timeout, crash or memory failure."""

    def __init__(self) -> None:
        self._proc: Any = None
        self._conn: Any = None

    def _start(self) -> None:
        # Objects alive now (the preloaded pipeline) leave the collector's view, so the
        # worker's collections do not touch, and copy, every page it shares with us.
        gc.freeze()
        ctx = multiprocessing.get_context("fork")
        parent_end, child_end = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_serve, args=(child_end, os.getpid(), parent_end),
                           daemon=True)
        proc.start()
        child_end.close()
        self._proc, self._conn = proc, parent_end

    def close(self) -> None:
        """Close the pipe, which ends the worker's loop, and wait (up to 2 s) for the
        worker to exit, else kill it."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        if self._proc is not None:
            self._proc.join(timeout=2)
            if self._proc.is_alive():
                _kill(self._proc)
        self._proc = self._conn = None

    def call(self, fn: Callable[..., T], args: tuple, kwargs: dict, *,
             seconds: float | None, memory_mb: int | None) -> T:
        try:
            request = pickle.dumps((fn, args, kwargs, memory_mb or None),
                                   protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - a closure or lambda: one-off fork instead
            return run_with_limits(fn, *args, seconds=seconds, memory_mb=memory_mb, **kwargs)
        if self._proc is None or not self._proc.is_alive():
            self.close()
            self._start()
        proc, conn = self._proc, self._conn
        deadline = time.monotonic() + seconds if seconds else None
        try:
            cap = _rss_cap(proc.pid, memory_mb)
            conn.send_bytes(request)
            data = _receive(conn, proc, deadline, cap)
        except (OSError, EOFError):
            data = b""
        if data is None:  # time is up: the worker is stuck in this file
            self.close_after_kill()
            raise LimitExceededError(_time_message(float(seconds or 0)))
        if data == _OVER_MEMORY:
            self.close_after_kill()
            raise LimitExceededError(_memory_message(memory_mb))
        if data == b"":  # the worker died on this file
            self._proc = None
            with contextlib.suppress(OSError):
                conn.close()
            self._conn = None
            return _died(proc, memory_mb)
        kind, value, retire = pickle.loads(data)
        if retire:
            self.close()
        return _unpack((kind, value), memory_mb)

    def close_after_kill(self) -> None:
        if self._proc is not None:
            _kill(self._proc)
        self.close()


# The process's warm worker for `Limits.run`: created on first use, closed at exit,
# replaced by `LimitedWorker` itself after a timeout or a crash. It is a resource of
# this process (each process of an ingest or a queue starts its own), not data handed
# from one stage to the next: no stage reads it, and what a file gives comes back as
# `Limits.run`'s return value. (A `LimitedWorker` of one's own, as tests/test_fuzz_pdf.py
# uses, is the explicit form.)
_SHARED: LimitedWorker | None = None


def _shared_worker() -> LimitedWorker:
    global _SHARED
    if _SHARED is None:
        import atexit

        _SHARED = LimitedWorker()
        atexit.register(_SHARED.close)
    return _SHARED


def _serve(conn: Any, parent_pid: int, parent_end: Any) -> None:
    """The worker's loop: run requests until the pipe closes (the pipeline is normally
    loaded in the parent already, and inherited). `parent_end`, the caller's end of
    the pipe that the fork copied, is closed first: kept open here, the pipe would
    never close, and `LimitedWorker.close` would wait its 2 s for nothing."""
    parent_end.close()
    from vnplans.pipeline import preload_pipeline

    _quiet_worker(parent_pid)
    preload_pipeline()
    base = _resident_bytes(os.getpid())
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    tasks = 0
    while True:
        try:
            request = conn.recv_bytes()
        except (EOFError, OSError):
            break
        fn, args, kwargs, memory_mb = pickle.loads(request)
        if memory_mb:
            limit = _address_space_cap(memory_mb)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        kind, value = _run(fn, args, kwargs)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        tasks += 1
        grown = memory_mb and _resident_bytes(os.getpid()) - base > memory_mb * _MB
        # After an allocation failure the process may be in any state: start afresh.
        retire = kind == "memory" or tasks >= WORKER_MAX_TASKS or bool(grown)
        try:
            conn.send_bytes(_dump((kind, value, retire)))
        except (OSError, EOFError):
            break
        if retire:
            break
    _leave(conn)


def _run(fn: Callable[..., Any], args: tuple, kwargs: dict) -> tuple:
    try:
        return ("ok", fn(*args, **kwargs))
    except MemoryError:
        return ("memory", None)
    except VnplansError as exc:
        return ("vnplans", (type(exc), exc.reason, exc.file))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        return _error_payload(exc)


def _dump(payload: tuple) -> bytes:
    try:
        return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return pickle.dumps(("memory", None) + payload[2:])
    except Exception as exc:  # noqa: BLE001 - unpicklable result or exception
        error = ("error", (RuntimeError(f"{type(exc).__name__}: {exc}"), traceback.format_exc()))
        return pickle.dumps(error + payload[2:])


def _leave(conn: Any) -> None:
    """Exit at once: no interpreter shutdown, which would wait for threads a library
    started, run the parent's atexit handlers and flush buffers it inherited."""
    with contextlib.suppress(OSError):
        conn.close()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(0)


def _error_payload(exc: BaseException) -> tuple:
    """("memory", None) for an allocation failure (MuPDF's included), else the exception,
    made picklable: MuPDF's SWIG exception proxies do not pickle."""
    if type(exc).__name__ == "FzErrorMemory":
        return ("memory", None)
    text = traceback.format_exc()
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001
        detail = " ".join(str(exc).split())[:300]
        exc = RuntimeError(f"{type(exc).__name__}: {detail}")
    return ("error", (exc, text))


def run_with_limits(fn: Callable[..., T], *args: Any, seconds: float | None = None,
                    memory_mb: int | None = DEFAULT_MEMORY_MB, **kwargs: Any) -> T:
    """Run `fn(*args, **kwargs)` in a worker with a wall-clock and a memory limit.

    `seconds=None` / `memory_mb=None` (or 0) switch a limit off; with both off `fn` runs
    in this process. See the module docstring for what is raised.
    """
    if not seconds and not memory_mb:
        return fn(*args, **kwargs)
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(sender, fn, args, kwargs, memory_mb or None,
                                             os.getpid()), daemon=True)
    proc.start()
    sender.close()
    deadline = time.monotonic() + seconds if seconds else None
    try:
        data = _receive(receiver, proc, deadline, _rss_cap(proc.pid, memory_mb))
        if data is None:  # time is up
            _kill(proc)
            raise LimitExceededError(_time_message(float(seconds or 0)))
        if data == _OVER_MEMORY:
            _kill(proc)
            raise LimitExceededError(_memory_message(memory_mb))
        proc.join(timeout=5)
    finally:
        receiver.close()
        if proc.is_alive():
            _kill(proc)
    if data == b"":
        return _died(proc, memory_mb)
    return _unpack(pickle.loads(data), memory_mb)


_OVER_MEMORY = b"\x00over-memory"  # _receive's answer when the worker grew too big


def _receive(receiver: Any, proc: Any, deadline: float | None,
             rss_cap: int | None = None) -> bytes | None:
    """The worker's payload; b"" when it died without one; None when time ran out;
    _OVER_MEMORY when its resident size passed `rss_cap` bytes."""
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return None
        wait = _WATCH_SECONDS if rss_cap else 0.5
        if remaining is not None:
            wait = min(remaining, wait)
        if receiver.poll(wait):
            try:
                return receiver.recv_bytes()
            except (EOFError, OSError):
                return b""
        if rss_cap and _resident_bytes(proc.pid) > rss_cap:
            return _OVER_MEMORY
        if not proc.is_alive() and not receiver.poll(0):
            return b""


def _rss_cap(pid: int, memory_mb: int | None) -> int | None:
    """The resident size at which the worker `pid` is stopped: its size now plus the
    per-file allowance."""
    return _resident_bytes(pid) + memory_mb * _MB if memory_mb else None


def _kill(proc: Any) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGKILL)
    proc.join(timeout=5)


def _died(proc: Any, memory_mb: int | None) -> Any:
    proc.join(timeout=5)
    code = proc.exitcode
    if code is not None and code < 0:
        sig = -code
        name = signal.Signals(sig).name if sig in signal.Signals._value2member_map_ else str(sig)
        if sig == signal.SIGKILL and memory_mb:
            # Most likely the kernel's OOM killer: report it as the memory limit.
            raise LimitExceededError(_memory_message(memory_mb) + " (killed by SIGKILL)")
        raise BadInputError(f"the PDF reader crashed on this file (worker killed by {name})")
    raise BadInputError(f"the worker stopped without a result (exit status {code})")


def _unpack(payload: tuple, memory_mb: int | None) -> Any:
    kind, value = payload
    if kind == "ok":
        return value
    if kind == "memory":
        raise LimitExceededError(_memory_message(memory_mb))
    if kind == "vnplans":
        cls, reason, file = value
        raise cls(reason, file=file)
    exc, text = value
    if isinstance(exc, MemoryError):
        raise LimitExceededError(_memory_message(memory_mb))
    with contextlib.suppress(AttributeError):
        exc.worker_traceback = text
    raise exc
