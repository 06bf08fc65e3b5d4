"""Writing a command's output file (`-o FILE`) without ever destroying what is there.

    with output_file(path, "w") as fh:   # "w" text (UTF-8, no newline translation), "wb"
        fh.write(…)

- A regular file (or a new name) is replaced atomically: the output is written to a
  fresh temporary file beside it (`mkstemp`, so no other file or link of that name is
  followed) and renamed over the target once complete, keeping the old file's
  permission bits; a failure or a crash leaves the old file as it was and no
  temporary file behind.
- A symlink is followed: its target is written (or replaced, when regular), the link
  stays a link.
- A FIFO, character device or socket (`/dev/stdout`, `/dev/null`, a pipe made with
  mkfifo) is written into as it is, never replaced by a regular file; a device that
  cannot take the data (`/dev/full`) fails with its error, as for any write.
- A directory is refused ("is a directory").
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any


@contextlib.contextmanager
def output_file(path: str | Path, mode: str = "w") -> Iterator[IO[Any]]:
    binary = "b" in mode
    target = Path(os.path.realpath(path))
    try:
        st: os.stat_result | None = target.stat()
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if st is not None and not stat.S_ISREG(st.st_mode):
        # Written into, as a shell's `> FILE` would: the node stays what it is.
        with (open(target, "wb") if binary
              else open(target, "w", encoding="utf-8", newline="")) as fh:
            yield fh
        return
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                    dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with (os.fdopen(fd, "wb") if binary
              else os.fdopen(fd, "w", encoding="utf-8", newline="")) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st is not None else _default_mode())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _default_mode() -> int:
    """What `open()` would give a new file: 0o666 less the umask."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
