"""`vnplans show FILE_OR_ID`: one plan as a readable table.

The plan is found by document id, sha256 prefix, or a PDF or Word file's path (looked
up by its content hash; a file not in the database is extracted on the fly).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vnplans.cli.ingest import DB_HELP

ROW_COLUMNS = ("tt", "section", "task", "lead", "support", "deadline", "due", "index")
# Shown when some row has them (an inspection plan's unit inspected and duration).
OPTIONAL_COLUMNS = ("inspected", "duration")
# Rows read by OCR whose least sure word is below this are listed to be checked by eye
# (Tesseract's word confidence; clean 200 dpi scans read at 0.9 and above).
CHECK_BELOW = 0.6


def _excerpt(text: str | None, width: int = 60) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show",
                       help="show one plan as a table (by id, sha256 prefix, PDF or Word file)",
                       description="Show one plan: its header and its assignments.")
    p.add_argument("target", metavar="FILE_OR_ID",
                   help="document id, sha256 prefix (6+ hex digits) or a PDF or Word file")
    p.add_argument("--db", metavar="URL", help=DB_HELP)
    p.add_argument("--no-ocr", action="store_true", help="never OCR (for PDFs not stored)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from vnplans.errors import VnplansError
    from vnplans.fsnames import printable

    try:
        doc, origin = find_plan(args.target, args.db, ocr=not args.no_ocr)
    except (VnplansError, SQLAlchemyError, OSError) as exc:
        reason = printable(" ".join(str(getattr(exc, "orig", None) or exc).split()))
        print(f"vnplans show: {reason}", file=sys.stderr)
        return 1
    if doc is None:
        print(f"vnplans show: {printable(args.target)}: no such document id, sha256 prefix "
              "or file", file=sys.stderr)
        return 1
    render(doc, origin)
    return 0


def find_plan(target: str, db_url: str | None, *, ocr: bool = True):  # noqa: ANN201
    """(PlanDocument or None, where it came from)."""
    from vnplans.errors import StoreError
    from vnplans.store.api import find_document_by_sha, find_document_id, get_document
    from vnplans.store.db import create_readonly_engine

    path = Path(target)
    try:
        engine = create_readonly_engine(db_url)
    except StoreError:
        engine = None  # no database yet: a PDF can still be shown
    try:
        if path.is_file():
            from vnplans.store.ingest import file_sha256

            document_id = find_document_by_sha(engine, file_sha256(path)) if engine else None
            if document_id is not None:
                return get_document(engine, document_id), f"stored document {document_id}"
            from vnplans.pipeline import extract

            return extract(path, ocr=ocr), "extracted now (not in the database)"
        if engine is None:
            raise StoreError(f"{target}: not a file, and there is no database to look it up in")
        document_id = find_document_id(engine, target)
        if document_id is None:
            return None, ""
        return get_document(engine, document_id), f"stored document {document_id}"
    finally:
        if engine is not None:
            engine.dispose()


def assignment_table(doc) -> tuple[tuple[str, ...], list[tuple]]:  # noqa: ANN001
    """The assignments as (columns, rows): the plan columns, then those only some plans
    have (the unit inspected, a duration) and every extra column by its printed header,
    each only when a row fills it."""
    optional = [c for c in OPTIONAL_COLUMNS if any(getattr(r, c) for r in doc.rows)]
    extra = list(dict.fromkeys(key for r in doc.rows for key in r.extra))
    columns = ROW_COLUMNS[:5] + tuple(optional) + ROW_COLUMNS[5:] + tuple(extra)
    rows = []
    for r in doc.rows:
        units = {"inspected": "; ".join(r.inspected_units) or r.inspected, "duration": r.duration}
        rows.append((r.tt, " > ".join(s.title for s in r.section[-1:]), r.task,
                     "; ".join(r.lead_units) or r.lead, "; ".join(r.support_units) or r.support,
                     *(units[c] for c in optional), r.deadline, r.schedule.due, r.index,
                     *(r.extra.get(key) for key in extra)))
    return columns, rows


def render(doc, origin: str) -> None:  # noqa: ANN001
    from vnplans.exports.tabular import print_table

    info = doc.document
    header = [
        ("file", doc.source.file), ("sha256", doc.source.sha256), ("source", origin),
        ("pages", doc.source.pages), ("text layer", f"{doc.source.text_layer} "
                                                    f"({doc.source.encoding})"),
        ("authority", info.authority), ("issuer", info.issuer), ("province", info.province),
        ("number / symbol", f"{info.number or '—'}/{info.symbol or '—'}"),
        ("issued on", info.issued_on), ("plan year", info.year), ("title", info.title),
        ("indices", ", ".join(info.indices)),
        ("signer", " ".join(x for x in (info.signer.acting, info.signer.position,
                                        info.signer.name) if x)),
        ("rows / warnings", f"{len(doc.rows)} / {len(doc.warnings)}"),
    ]
    print_table(("field", "value"), header, title=info.title or doc.source.file)
    columns, rows = assignment_table(doc)
    print_table(columns, rows, title="assignments")
    unsure = [r for r in doc.rows if r.confidence is not None and r.confidence < CHECK_BELOW]
    if unsure:
        print_table(("tt", "task", "confidence", "check"),
                    [(r.tt, _excerpt(r.task), f"{r.confidence:.2f}",
                      f"check against page {', '.join(map(str, r.pages)) or '?'}")
                     for r in unsure],
                    title=f"rows read by OCR with a word less sure than {CHECK_BELOW}")
    if doc.warnings:
        print_table(("warning",), [(w,) for w in doc.warnings], title="warnings")
