"""Snapshot what vnplans reads from every test PDF, to check that a change which should
not change the output does not (a refactor, a speed-up):

    .venv/bin/python scripts/golden.py write /tmp/before      # on the old code
    .venv/bin/python scripts/golden.py compare /tmp/before    # on the new code

For each PDF under tests/ and data/raw: the extracted contract JSON (or the one-line
error) and the page text in reading order. `compare` lists every file whose output
differs and exits 1 when any does.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Generated on purpose to fail in many ways; their outcome is what tests/test_badinput.py checks.
SKIP_DIRS = ("badinput",)
# A checkout's absolute path before tests/ or data/ in an older snapshot.
_ANY_CHECKOUT = re.compile(r"/\S*?/(?=(?:tests|data)/)")


def pdfs() -> list[Path]:
    found = [p for base in (ROOT / "tests", ROOT / "data" / "raw") for p in base.rglob("*.pdf")]
    return sorted(p for p in found if not any(d in p.parts for d in SKIP_DIRS))


def snapshot(path: Path) -> str:
    from vnplans.layout.reading_order import page_text
    from vnplans.pipeline import extract, read_pages

    try:
        doc = json.loads(extract(path).to_json())
        doc["source"].pop("extractor_version", None)
        extracted = json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True)
    except Exception as exc:  # noqa: BLE001 - the error is part of the output
        extracted = f"error: {type(exc).__name__}: {exc}"
    try:
        text = "\f".join(page_text(page) for page in read_pages(path).pages)
    except Exception as exc:  # noqa: BLE001
        text = f"error: {type(exc).__name__}: {exc}"
    # Error lines name the file: relative, so that two checkouts compare alike.
    return (extracted + "\n----- text -----\n" + text + "\n").replace(f"{ROOT}/", "")


def key(path: Path) -> str:
    relative = str(path.relative_to(ROOT))
    return hashlib.sha1(relative.encode()).hexdigest()[:12] + "-" + path.stem + ".txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["write", "compare"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", help="only PDFs whose path contains this")
    args = parser.parse_args(argv)
    files = [p for p in pdfs() if args.only is None or args.only in str(p)]
    args.folder.mkdir(parents=True, exist_ok=True)
    changed = 0
    for path in files:
        now = snapshot(path)
        target = args.folder / key(path)
        if args.action == "write":
            target.write_text(now, encoding="utf-8")
            continue
        before = target.read_text(encoding="utf-8") if target.exists() else None
        if before is not None:
            before = _ANY_CHECKOUT.sub("", before)
        if before != now:
            changed += 1
            print(f"{'new' if before is None else 'changed'}: {path.relative_to(ROOT)}")
    if args.action == "compare":
        print(f"{len(files)} PDFs, {changed} differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
