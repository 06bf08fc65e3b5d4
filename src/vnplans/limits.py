"""Per-file time and memory limits: one bad PDF never hangs or sinks a whole run.

    from vnplans.limits import run_with_limits, Limits
    doc = run_with_limits(extract, path, seconds=120, memory_mb=2048, ocr=False)

`run_with_limits(fn, *args, seconds=…, memory_mb=…, **kwargs)` runs `fn(*args, **kwargs)`
in a forked worker process and returns its result. The worker's address space is capped
(`RLIMIT_AS`) and the parent kills it when the wall-clock budget is spent. Outcomes:

- the result, pickled back to the caller;
- the worker's exception re-raised in the caller (a `VnplansError` keeps its class,
  reason and file; anything else arrives as the same type when it pickles, with the
  worker's traceback text in `exc.worker_traceback`);
- `LimitExceededError` when the time or the memory limit was hit ("took longer than
  120 s (the per-file limit; raise it with --timeout)", "needed more than 2048 MB of
  memory (the per-file limit; raise it with --max-memory)");
- `BadInputError` when the worker died from a signal (a crash inside the PDF library
  on this file, or the kernel's OOM killer): the caller survives and goes on.

Defaults (proposed CLI flags, for `vnplans extract` and `vnplans ingest`):

    --timeout SECONDS   per-file wall-clock limit; default `auto` =
                        DEFAULT_BASE_SECONDS + DEFAULT_SECONDS_PER_PAGE × pages
                        (60 s + 10 s per page: an OCR'd page takes a few seconds on
                        two cores); 0 = no time limit
    --max-memory MB     per-file memory limit; default DEFAULT_MEMORY_MB (2048 MB) of
                        extra address space on top of what the process already maps;
                        0 = no memory limit

`Limits.from_args(args)` turns those flags into a `Limits`, and
`limits.seconds_for(path)` gives the `auto` budget of one file. With both limits off
(`Limits(seconds=None, memory_mb=None)`) `run_with_limits` calls `fn` in-process: no
fork, same behaviour as a plain call.

Only for Linux/POSIX (fork). `fn`, its arguments and its result must be picklable
only for the result and exceptions: the worker is a fork, so `fn` and `args` need not
pickle. The worker inherits open database connections: do not use them in `fn`
(open a new one, or do the storing in the caller, which is what ingest should do).
"""

from __future__ import annotations

import contextlib
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
DEFAULT_MEMORY_MB = 2048

_MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-file limits. `seconds=None` means `auto` (by page count) unless
    `no_time_limit`; `memory_mb=None` means no memory limit."""

    seconds: float | None = None
    memory_mb: int | None = DEFAULT_MEMORY_MB
    no_time_limit: bool = False
    base_seconds: float = DEFAULT_BASE_SECONDS
    seconds_per_page: float = DEFAULT_SECONDS_PER_PAGE

    @classmethod
    def from_args(cls, args: Any) -> Limits:
        """From argparse flags `--timeout` (str: "auto" or seconds, 0 = off) and
        `--max-memory` (int MB, 0 = off); missing attributes mean the defaults."""
        timeout = getattr(args, "timeout", None)
        memory = getattr(args, "max_memory", None)
        memory_mb = DEFAULT_MEMORY_MB if memory is None else (int(memory) or None)
        if timeout is None or str(timeout).strip().lower() == "auto":
            return cls(seconds=None, memory_mb=memory_mb)
        seconds = float(timeout)
        return cls(seconds=seconds or None, memory_mb=memory_mb, no_time_limit=not seconds)

    def seconds_for(self, path: str | Path | None = None, pages: int | None = None) -> float | None:
        """The wall-clock budget for one file (None = unlimited)."""
        if self.no_time_limit:
            return None
        if self.seconds is not None:
            return self.seconds
        if pages is None:
            pages = _page_count(path)
        return self.base_seconds + self.seconds_per_page * max(pages, 1)

    def run(self, fn: Callable[..., T], path: str | Path, *args: Any, **kwargs: Any) -> T:
        """`fn(path, *args, **kwargs)` under these limits, budget sized for `path`.

        The file is first checked with `vnplans.pdf.open.open_pdf` in this process, so
        a file that is no PDF at all (empty, HTML, truncated, encrypted …) fails at once
        with its `BadInputError`, without a worker. Before the first worker, the
        pipeline is preloaded here (`preload_pipeline`), so every worker starts warm
        instead of loading spaCy and the YAML knowledge again for each file."""
        from vnplans.pdf.open import open_pdf

        with open_pdf(path) as doc:
            pages = doc.page_count
        seconds = self.seconds_for(path, pages=pages)
        if seconds is not None or self.memory_mb:
            preload_pipeline()
        return run_with_limits(fn, path, *args, seconds=seconds, memory_mb=self.memory_mb,
                               **kwargs)


_preloaded = False


def preload_pipeline() -> None:
    """Import the extraction stages and run the text stages once on a tiny sample, in
    this process, once. Forked workers inherit the loaded modules and lazily built
    tables (spaCy matcher, deadline vocabulary …) copy-on-write, so a batch pays their
    start-up once, not once per file. Failures are ignored: a stage that cannot load
    fails properly, with its reason, inside the worker."""
    global _preloaded
    if _preloaded:
        return
    _preloaded = True
    import importlib

    for name in ("vnplans.pdf.open", "vnplans.pdf.reader", "vnplans.textlayer.repair",
                 "vnplans.layout.header_block", "vnplans.table.build",
                 "vnplans.normalize.deadlines", "vnplans.normalize.units",
                 "vnplans.normalize.indices", "vnplans.pipeline"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - see docstring
            continue
    try:
        from vnplans.models import Row
        from vnplans.normalize.deadlines import parse_deadline
        from vnplans.normalize.indices import classify_row
        from vnplans.normalize.units import resolve_units

        parse_deadline("Trước ngày 30/11/2023", 2023)
        resolve_units("Văn phòng Sở, Thanh tra Sở", None)
        classify_row(Row(task="Chỉ số PCI"), ["PCI"])
    except Exception:  # noqa: BLE001 - see docstring
        pass


def add_limit_arguments(parser: Any) -> None:
    """Add `--timeout` and `--max-memory` to an argparse (sub)parser."""
    parser.add_argument(
        "--timeout", default="auto", metavar="SECONDS",
        help=f"per-file time limit in seconds, 0 = none (default: auto = "
             f"{DEFAULT_BASE_SECONDS:g} s + {DEFAULT_SECONDS_PER_PAGE:g} s per page)")
    parser.add_argument(
        "--max-memory", type=int, default=DEFAULT_MEMORY_MB, metavar="MB",
        help=f"per-file memory limit in MB, 0 = none (default: {DEFAULT_MEMORY_MB})")


def _page_count(path: str | Path | None) -> int:
    """Pages of the PDF, cheaply; 1 when it cannot be told (the worker will say why)."""
    if path is None:
        return 1
    try:
        import pymupdf

        pymupdf.TOOLS.mupdf_display_errors(False)  # the worker reports bad files in one line
        with pymupdf.open(str(path), filetype="pdf") as doc:
            return max(doc.page_count, 1)
    except Exception:  # noqa: BLE001 - an unreadable file fails properly in the worker
        return 1


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


def _memory_message(memory_mb: int | None) -> str:
    return (f"needed more than {memory_mb} MB of memory (the per-file limit; "
            "raise it with --max-memory)")


def _time_message(seconds: float) -> str:
    return (f"took longer than {seconds:g} s (the per-file limit; raise it with --timeout)")


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
    # Ctrl-C goes to the parent, which decides when the worker dies; and the worker
    # dies with the parent (a run killed by cron or SIGKILL leaves no orphan behind).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent_pid)
    if memory_mb:
        limit = _address_space_bytes() + memory_mb * _MB
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        payload: tuple = ("ok", fn(*args, **kwargs))
    except MemoryError:
        payload = ("memory", None)
    except VnplansError as exc:
        payload = ("vnplans", (type(exc), exc.reason, exc.file))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        payload = _error_payload(exc)
    try:
        data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps(("memory", None))
    except Exception as exc:  # noqa: BLE001 - unpicklable result or exception
        data = pickle.dumps(("error", (RuntimeError(f"{type(exc).__name__}: {exc}"),
                                       traceback.format_exc())))
    try:
        conn.send_bytes(data)
    except MemoryError:
        conn.send_bytes(pickle.dumps(("memory", None)))
    finally:
        conn.close()
        # Leave at once: no interpreter shutdown, which would wait for threads a library
        # started, run the parent's atexit handlers and flush buffers it inherited.
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
        data = _receive(receiver, proc, deadline)
        if data is None:  # time is up
            _kill(proc)
            raise LimitExceededError(_time_message(float(seconds or 0)))
        proc.join(timeout=5)
    finally:
        receiver.close()
        if proc.is_alive():
            _kill(proc)
    if data == b"":
        return _died(proc, memory_mb)
    return _unpack(pickle.loads(data), memory_mb)


def _receive(receiver: Any, proc: Any, deadline: float | None) -> bytes | None:
    """The worker's payload; b"" when it died without one; None when time ran out."""
    while True:
        remaining = None if deadline is None else deadline - time.monotonic()
        if remaining is not None and remaining <= 0:
            return None
        wait = 0.5 if remaining is None else min(remaining, 0.5)
        if receiver.poll(wait):
            try:
                return receiver.recv_bytes()
            except (EOFError, OSError):
                return b""
        if not proc.is_alive() and not receiver.poll(0):
            return b""


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
