"""`vnplans` command line. Each subcommand lives in its own module with
`register(subparsers)`; imports of heavy stages happen inside the commands so that
start-up stays fast.

Exit status: 0 all went well, 1 some files failed (they are named on stderr), 2 usage
errors.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import importlib
import os
import sys

from vnplans import __version__
from vnplans.gc_pause import paused_gc

# Subcommand modules, in the order `vnplans --help` lists them.
COMMAND_MODULES = [
    "vnplans.cli.extract",
    "vnplans.cli.text",
    "vnplans.cli.ingest",
    "vnplans.cli.queue",
    "vnplans.cli.query",
    "vnplans.cli.export",
    "vnplans.cli.show",
    "vnplans.cli.calendar",
    "vnplans.cli.db",
    "vnplans.cli.debug",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2, one line
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vnplans",
        description="Turn Vietnamese government plan PDFs (Kế hoạch) into a clean, "
        "queryable database.",
        epilog="Exit status: 0 all went well, 1 some files failed, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"vnplans {__version__}")
    # Also before the command ("vnplans --db URL query …"), as users of other database
    # tools type it; the command's own --db wins.
    parser.add_argument("--db", metavar="URL", dest="global_db",
                        help="database URL for the commands that use one (as their --db)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


# NumPy's OpenBLAS (loaded with spaCy and OpenCV) starts a pool of threads that
# busy-wait for matrix work vnplans never gives them: on two cores that spinning took
# 4-6% of the CPU of an `extract` batch (perf: blas_thread_server) and slowed the
# pipeline's own thread. One BLAS thread means no pool. Set before NumPy loads; a
# value the user exported wins.
_SINGLE_THREADED_BLAS = {"OPENBLAS_NUM_THREADS": "1"}


def main(argv: list[str] | None = None) -> int:
    """Run the command line `argv` (default: this process's own, `sys.argv`) and return
    its exit status. Run on the process's own command line, a command that sets
    `quick_exit` (extract, text) ends the process itself when done (see `quick_exit`)."""
    for name, value in _SINGLE_THREADED_BLAS.items():
        os.environ.setdefault(name, value)
    # The subcommands' imports make no garbage worth collecting; in our own process
    # (argv None) the modules will never be garbage either.
    with paused_gc(freeze=argv is None):
        parser = build_parser()
    args = parser.parse_args(argv)
    if args.global_db is not None:
        if not hasattr(args, "db"):
            parser.error(f"--db does not apply to `vnplans {args.command}`")
        if args.db is None:
            args.db = args.global_db
    try:
        status = int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("vnplans: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    if argv is None and getattr(args, "quick_exit", False):
        quick_exit(status)
    return status


def quick_exit(status: int) -> None:
    """End the process with `status` as the interpreter would (exit handlers run, output
    flushed), but without its teardown, which releases every object of every module
    one by one: with spaCy, pydantic and the PDF stack loaded that takes ~0.25 s of
    CPU, a tenth of a batch of small plans, for nothing the OS would not do anyway.
    Only for commands that leave no unflushed files behind; returns (and the
    interpreter ends normally) while other threads still run."""
    import threading

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if run_exit_handlers is None or threading.active_count() > 1:
        return
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe: the reader has gone; the interpreter would not mind either.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    raise SystemExit(main())
