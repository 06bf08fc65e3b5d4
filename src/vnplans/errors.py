"""Errors a user sees as one line: the file and the reason, never a traceback."""

from __future__ import annotations

from vnplans.fsnames import printable


class VnplansError(Exception):
    """Base class: `str(err)` is the one-line reason shown to the user."""

    # A verdict on the file's bytes: the same content fails the same way with the same
    # extractor version, so a nightly run does not try it again (`vnplans ingest
    # --retry-failed` does). Time and memory limits, crashes, missing tools: False.
    permanent = False

    def __init__(self, reason: str, file: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.file = file

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}" if self.file else self.reason


class BadInputError(VnplansError):
    """The file cannot be read as a PDF (not a PDF, truncated, encrypted, empty …)."""


class UnreadableDocumentError(BadInputError):
    """The file's bytes are no readable document: empty, not a PDF, truncated, damaged,
    encrypted with a password."""

    permanent = True


class NoAppendixError(VnplansError):
    """The PDF reads fine but holds no plan appendix table (a letter, a decision, a
    scan that is no plan)."""

    permanent = True


class LimitExceededError(VnplansError):
    """A per-file time or memory limit was exceeded."""


class StoreError(VnplansError):
    """The database refused or lost a write."""


def is_permanent(exc: BaseException) -> bool:
    """True when `exc` is a verdict on the file's content (`VnplansError.permanent`)."""
    return isinstance(exc, VnplansError) and exc.permanent


def reason_of(exc: BaseException) -> str:
    """The one-line reason a user sees for any failure while handling one file."""
    if isinstance(exc, VnplansError):
        reason = exc.reason
    elif isinstance(exc, OSError):
        reason = f"cannot read file: {exc.strerror or exc}"
    elif isinstance(exc, MemoryError):
        reason = "out of memory"
    else:
        reason = f"internal error ({type(exc).__name__}: {exc})"
    # Whitespace runs become one space; any other control character (an escape
    # sequence in a file name quoted by the reason) is escaped, so the reason stays
    # one harmless line.
    return printable(" ".join(str(reason).split()))
