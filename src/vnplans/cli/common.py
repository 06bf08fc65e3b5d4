"""Small helpers the subcommands share: error lines and output files."""

from __future__ import annotations

import sys
from pathlib import Path

from vnplans.errors import reason_of
from vnplans.fsnames import printable


def error_line(path: str | Path, exc: BaseException) -> str:
    """One line naming the file and the reason, never a traceback; control characters
    in the name are escaped (`vnplans.fsnames.printable`), so no name can split the
    line or forge another."""
    return f"vnplans: {printable(path)}: {reason_of(exc)}"


def report_failure(path: str | Path, exc: BaseException) -> None:
    print(error_line(path, exc), file=sys.stderr, flush=True)


def report_write_failure(path: str | Path, exc: OSError) -> None:
    """`vnplans: FILE: cannot write: REASON` for an output file (-o) that failed."""
    reason = printable(" ".join(str(exc.strerror or exc).split()))
    print(f"vnplans: {printable(path)}: cannot write: {reason}", file=sys.stderr, flush=True)


def write_text(path: str | Path, text: str) -> None:
    """Write `-o FILE`: a regular file atomically (a crash never leaves half a file),
    a FIFO or device by writing into it (`vnplans.cli.output`)."""
    from vnplans.cli.output import output_file

    with output_file(path, "w") as fh:
        fh.write(text)
