"""The per-file limit flags every extracting command takes (`--timeout`, `--max-pages`,
`--max-memory`); `vnplans.limits.Limits.from_args` reads them."""

from __future__ import annotations

from typing import Any

from vnplans.limits import (
    DEFAULT_BASE_SECONDS,
    DEFAULT_MAX_AUTO_SECONDS,
    DEFAULT_MAX_PAGES,
    DEFAULT_MEMORY_MB,
    DEFAULT_SECONDS_PER_PAGE,
)


def add_limit_arguments(parser: Any) -> None:
    """Add `--timeout` and `--max-memory` to an argparse (sub)parser."""
    parser.add_argument(
        "--timeout", default="auto", type=_timeout_flag, metavar="SECONDS",
        help=f"per-file time limit in seconds, 0 = none (default: auto = "
             f"{DEFAULT_BASE_SECONDS:g} s + {DEFAULT_SECONDS_PER_PAGE:g} s per page, at most "
             f"{DEFAULT_MAX_AUTO_SECONDS:g} s)")
    parser.add_argument(
        "--max-memory", type=_memory_flag, default=DEFAULT_MEMORY_MB, metavar="MB",
        help=f"per-file memory limit in MB, 0 = none (default: {DEFAULT_MEMORY_MB})")
    parser.add_argument(
        "--max-pages", type=_pages_flag, default=DEFAULT_MAX_PAGES, metavar="N",
        help=f"refuse a PDF of more than N pages, 0 = no limit (default: {DEFAULT_MAX_PAGES})")


def _timeout_flag(value: str) -> str:
    """"auto" or a number of seconds ≥ 0 (a usage error otherwise, exit status 2)."""
    import argparse

    if value.strip().lower() == "auto":
        return "auto"
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if seconds < 0 or seconds != seconds:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return value


def _pages_flag(value: str) -> int:
    import argparse

    try:
        pages = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of pages: {value!r}") from None
    if pages < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return pages


def _memory_flag(value: str) -> int:
    import argparse

    try:
        megabytes = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number of MB: {value!r}") from None
    if megabytes < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return megabytes


