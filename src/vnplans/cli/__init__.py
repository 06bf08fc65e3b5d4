"""`vnplans` command line. Each subcommand lives in its own module with
`register(subparsers)`; imports of heavy stages happen inside the commands so that
start-up stays fast.

Exit status: 0 all went well, 1 some files failed (they are named on stderr), 2 usage
errors.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from vnplans import __version__

# Subcommand modules, in the order `vnplans --help` lists them.
COMMAND_MODULES = [
    "vnplans.cli.extract",
    "vnplans.cli.text",
    "vnplans.cli.ingest",
    "vnplans.cli.query",
    "vnplans.cli.export",
    "vnplans.cli.show",
    "vnplans.cli.calendar",
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("vnplans: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
