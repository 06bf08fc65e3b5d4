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

Files an operator does not want read are left out, silently, as git leaves out what
`.gitignore` names: by `--exclude GLOB` patterns (relative to the folder walked) and by
the patterns of a `.vnplansignore` file in any folder of the walk (relative to that
folder, for everything below it). One pattern a line; blank lines and lines starting
with `#` are skipped. A pattern without `/` matches a file or folder name at any depth
(`*-letter.pdf`, `drafts`); one with `/` matches the path from its folder (`2019/*.pdf`,
`/*.pdf`: the folder's own files only); `*` and `?` do not match `/`, `**` does (`**/`
also nothing); `[abc]` as in the shell; case matters; a trailing `/` matches folders
only, whose whole content is then left out.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
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


IGNORE_FILE = ".vnplansignore"


@dataclass(frozen=True)
class _Rule:
    """One exclude pattern and the folder it is relative to."""

    base: str
    pattern: re.Pattern[str]
    anywhere: bool  # no '/' in the pattern: matches a name at any depth
    folders_only: bool

    def excludes(self, path: str, is_folder: bool) -> bool:
        if self.folders_only and not is_folder:
            return False
        relative = os.path.relpath(path, self.base)
        subject = os.path.basename(relative) if self.anywhere else relative
        return self.pattern.fullmatch(subject) is not None


def exclude_rules(patterns: Sequence[str], base: str | Path) -> list[_Rule]:
    """Rules of `patterns` (the module docstring's syntax) relative to folder `base`."""
    rules = []
    for line in patterns:
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        folders_only = pattern.endswith("/")
        anywhere = "/" not in pattern.rstrip("/")
        pattern = pattern.strip("/")
        if pattern:
            rules.append(_Rule(str(base), _glob_regex(pattern), anywhere, folders_only))
    return rules


@lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """`glob` as a regular expression: `**` any text (`**/` any folders, or none), `*`
    and `?` within one name,
    `[…]` a set (`[!…]` its complement), anything else itself."""
    out, i = [], 0
    while i < len(glob):
        char = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and (end := glob.find("]", i + 2)) > 0:
            body = glob[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body)
                       .replace("\\", "\\\\") + "]")
            i = end + 1
            continue
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out))


def _read_ignore_file(folder: str) -> list[_Rule]:
    try:
        with open(os.path.join(folder, IGNORE_FILE), encoding="utf-8",
                  errors="surrogateescape") as fh:
            return exclude_rules(fh.read().splitlines(), folder)
    except OSError:  # none (the usual case), or unreadable: nothing to leave out
        return []


def walk_files(root: Path, suffixes: tuple[str, ...], on_skip: SkipReporter, *,
               exclude: Sequence[str] = ()) -> Iterator[Path]:
    """Regular files under `root` whose lower-cased suffix is in `suffixes`, in sorted
    order per directory, less those `exclude` and the walk's `.vnplansignore` files
    leave out; everything else passed over is reported to `on_skip`."""
    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else root
        on_skip(where, f"cannot list the folder: {exc.strerror or exc}")

    hits: list[Path] = []
    rules_of: dict[str, list[_Rule]] = {str(root): exclude_rules(exclude, root)}
    for folder, dirs, names in os.walk(root, onerror=unreadable):
        parent = rules_of.get(os.path.dirname(folder), []) if folder != str(root) else []
        rules = rules_of[folder] = [*parent, *rules_of.get(folder, []),
                                    *_read_ignore_file(folder)]
        dirs[:] = sorted(d for d in dirs if not _excluded(rules, folder, d, True))
        for name in names:
            if os.path.splitext(name)[1].lower() not in suffixes \
                    or _excluded(rules, folder, name, False):
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


def _excluded(rules: list[_Rule], folder: str, name: str, is_folder: bool) -> bool:
    path = os.path.join(folder, name)
    return any(rule.excludes(path, is_folder) for rule in rules)


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
