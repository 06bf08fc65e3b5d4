"""Walking folders for input files, saying what was passed over and why.

A folder walk takes regular files (and symlinks to regular files) whose name ends in
one of the wanted suffixes. What it cannot take is never dropped silently: a FIFO,
device, socket, dangling or looping symlink with a wanted name, and a directory that
cannot be listed, each give one notice through `on_skip(path, reason)` (by default a
line `vnplans: PATH: skipped (REASON)` on stderr). A notice is not a failure: the run's
exit status does not change, as with rsync's "skipping non-regular file" (a FIFO or
device under a plans folder is not a plan that failed; an unreadable folder is named
so that whoever runs the job can fix its permissions). Symlinked directories are not
followed (a link loop cannot make the walk endless). Paths named on the command line
are taken as they are: a FIFO given as FILE fails as "not a regular file".
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from vnplans.fsnames import printable

SkipReporter = Callable[[Path, str], None]


def print_skip(path: Path, reason: str) -> None:
    """The default notice: one line on stderr."""
    print(f"vnplans: {printable(path)}: skipped ({reason})", file=sys.stderr, flush=True)


def special_kind(mode: int) -> str:
    """What a file that is not regular is, for a notice."""
    for test, what in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a directory")):
        if test(mode):
            return what
    return "not a regular file"


def walk_files(root: Path, suffixes: tuple[str, ...],
               on_skip: SkipReporter) -> Iterator[Path]:
    """Regular files under `root` whose lower-cased suffix is in `suffixes`, in sorted
    order per directory; everything passed over is reported to `on_skip`."""
    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        on_skip(where, f"cannot list the folder: {exc.strerror or exc}")

    hits: list[Path] = []
    for folder, dirs, names in os.walk(root, onerror=unreadable):
        dirs.sort()
        for name in names:
            if os.path.splitext(name)[1].lower() not in suffixes:
                continue
            path = Path(folder, name)
            reason = _not_a_file(path)
            if reason is None:
                hits.append(path)
            else:
                on_skip(path, reason)
        # os.walk lists a symlink to a directory among `dirs` and does not enter it;
        # one with a wanted name is reported like any other non-file.
        for name in dirs:
            if os.path.splitext(name)[1].lower() in suffixes:
                on_skip(Path(folder, name), "a directory")
    yield from sorted(hits)


def _not_a_file(path: Path) -> str | None:
    """None for a regular file (or a link to one), else why it is passed over."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if path.is_symlink():
            return ("a symlink loop" if exc.errno == errno.ELOOP else
                    "a dangling symlink (its target does not exist)")
        return f"cannot read: {exc.strerror or exc}"
    return None if stat.S_ISREG(mode) else special_kind(mode)
