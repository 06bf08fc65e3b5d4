"""Reliability campaign: bad, mutated and hostile inputs, killed runs, hostile SQL and
hostile file names, each counted as tried / handled / crashed / hung / lost.

    nice -n 15 .venv/bin/python benchmarks/reliability.py           # the full campaign
    .venv/bin/python benchmarks/reliability.py --quick              # a small sample

1. PDFs through `vnplans extract` (in batches, as users run it):
   - the bad-input corpus (tests/badinput/corpus/, see make_corpus.py), OCR on;
   - mutants of every fixture plan (tests/test_fuzz_pdf.py: flipped bytes, zeroed
     ranges, truncations, deleted objects, garbled content streams), `--no-ocr`;
     300 per kind in the full campaign (1,500), 10 in `--quick`;
   - hostile PDFs built here (`hostile_pdfs`, with the builders of
     tests/hostile_inputs.py that the hostile-input tests use too): page-count bombs,
     tiny pages, page trees that lie about their count or loop, deflate and image bombs,
     self-drawing forms, huge and empty page boxes, deep nesting, a flood of text
     operators; OCR on.
2. `vnplans ingest` SIGKILLed at moments spread over a run (a fresh database each
   time; 30 on SQLite and 10 on PostgreSQL in the full campaign); after each kill the
   database must hold only whole documents, and one more run must finish the work.
3. Hostile SQL through `vnplans query`: every entry of tests/data/hostile_queries.yaml
   (`--queries` to name another file; none when it does not exist) on each database it
   lists, against a loaded database. Handled: the expected outcome (refused: exit ≠ 0
   with one line; timed out: exit ≠ 0 within the hang limit; harmless: exit 0), no
   traceback, the database unchanged (tables and row counts) and no file `{out}`
   created. Hung: still running after the hang limit (killed; on PostgreSQL the
   server-side query is terminated too).
4. Hostile file names (`HOSTILE_NAMES`: bytes that are not UTF-8, newlines, control
   characters, leading dashes, 255-byte names, a 3,900-byte path, NFC/NFD twins, case
   twins, shell and glob characters): one plan and one bad file under each name, ingested
   twice into SQLite and PostgreSQL, and each extracted by name. Handled: the plan is
   stored under its exact name (its own document, not flipped by the second run), the
   bad file is named in exactly one failure line, and no line of stderr is forged.

Outcomes: handled = a plan, or one line "vnplans: FILE: reason" that is not an internal
error (or the expectation above); crashed = a traceback, an internal error, a signal;
hung = over the time limit (a PDF: "took longer than", the per-file limit doing its
job, is counted as handled and also shown as hung); lost = a file with no outcome at
all, a stored document gone or wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
CORPUS = TESTS / "badinput" / "corpus"
QUERIES = TESTS / "data" / "hostile_queries.yaml"
PYTHON = sys.executable
VNPLANS = [PYTHON, "-c", "import sys; from vnplans.cli import main; sys.exit(main())"]
PG_URL = os.environ.get("VNPLANS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
sys.path.insert(0, str(TESTS))

from hostile_inputs import (  # noqa: E402 - tests/ is on the path from here on
    blank_pages,
    bytes_path,
    one_page,
    pdf_of,
    stored_paths,
    stream,
)

from vnplans.fsnames import printable  # noqa: E402

BATCH = 50                 # PDFs per `vnplans extract` run
PDF_SECONDS = 60           # --timeout per PDF
HANG_SECONDS = 900         # a whole extract batch taking longer is hung
QUERY_HANG_SECONDS = 30    # a query still running after this is hung


@dataclass
class Tally:
    tried: int = 0
    handled: int = 0
    crashed: int = 0
    hung: int = 0
    lost: int = 0
    notes: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)

    def add(self, other: Tally) -> None:
        for name in ("tried", "handled", "crashed", "hung", "lost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.notes += other.notes
        for k, n in other.reasons.items():
            self.reasons[k] = self.reasons.get(k, 0) + n


def cli(*args: str, timeout: float | None = None, cwd: Path | None = None,
        ) -> subprocess.CompletedProcess:
    return subprocess.run([*VNPLANS, *args], capture_output=True, text=True, errors="replace",
                          stdin=subprocess.DEVNULL, timeout=timeout, cwd=cwd or REPO)


# --- 1. PDFs -------------------------------------------------------------------------

def run_extract(files: list[Path], *flags: str) -> Tally:
    """`files` through `vnplans extract`, BATCH at a time, each one classified."""
    tally = Tally()
    for start in range(0, len(files), BATCH):
        tally.add(_extract_batch(files[start:start + BATCH], *flags))
    return tally


def _extract_batch(files: list[Path], *flags: str) -> Tally:
    tally = Tally(tried=len(files))
    try:
        result = cli("extract", "--timeout", str(PDF_SECONDS), *flags, "--",
                     *map(str, files), timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        tally.hung = len(files)
        tally.notes.append(f"a batch from {files[0].name} hung")
        return tally
    read: set[str] = set()
    for line in result.stdout.splitlines():
        if line.strip():
            with contextlib.suppress(ValueError, KeyError):
                read.add(json.loads(line)["source"]["file"])
    if len(files) == 1 and result.returncode == 0:
        with contextlib.suppress(ValueError, KeyError):
            read = {json.loads(result.stdout)["source"]["file"]}
    failed: dict[str, str] = {}
    for line in result.stderr.splitlines():
        for f in files:
            prefix = f"vnplans: {printable(f)}: "
            if line.startswith(prefix):
                failed[f.name] = line[len(prefix):]
    died = result.returncode < 0 or "Traceback" in result.stderr
    if died:
        tally.notes.append(f"batch from {files[0].name}: exit {result.returncode}"
                           + (", a traceback" if "Traceback" in result.stderr else ""))
    for f in files:
        reason = failed.get(f.name)
        if f.name in read:
            tally.handled += 1
        elif reason is None:
            tally.crashed += died
            tally.lost += not died
            tally.notes.append(f"{f.name}: no outcome at all")
        elif reason.startswith("internal error"):
            tally.crashed += 1
            tally.notes.append(f"{f.name}: {reason}")
        else:
            tally.handled += 1
            tally.hung += reason.startswith("took longer than")
            kind = reason.split(":")[0].split("(")[0].strip()
            tally.reasons[kind] = tally.reasons.get(kind, 0) + 1
    return tally


def fixture_bases() -> list[Path]:
    return sorted((TESTS / "fixtures" / "pdfs").glob("*.pdf")) + [CORPUS / "ok-plan.pdf"]


def mutants(folder: Path, per_kind: int) -> list[Path]:
    import test_fuzz_pdf as fuzz

    bases = fixture_bases()
    made = []
    for kind, mutate in fuzz.KINDS.items():
        for seed in range(per_kind):
            rng = random.Random(f"{kind}/{seed}")
            base = bases[seed % len(bases)]
            path = folder / f"{kind}-{seed:03d}-{base.stem}.pdf"
            path.write_bytes(mutate(base.read_bytes(), rng))
            made.append(path)
    return made


def hostile_pdfs(folder: Path, scale: int) -> list[Path]:
    """Hand-built hostile PDFs, `scale` variants of each family."""
    made: list[Path] = []

    def save(name: str, data: bytes) -> None:
        path = folder / f"hostile-{name}.pdf"
        path.write_bytes(data)
        made.append(path)

    for i in range(scale):
        side = (1, 3, 10, 30)[i % 4]
        for pages in (50, 2001, 10_000):
            made.append(blank_pages(folder / f"hostile-tiny-pages-{pages}x{side}pt-{i}.pdf",
                                    pages, side))
        for count in (b"2147483647", b"-1", b"0", b"1000000000", b"3.5", b"(x)"):
            save(f"count-{count.decode('ascii', 'replace')}-{i}", pdf_of([
                b"<< /Type /Catalog /Pages 2 0 R >>",
                b"<< /Type /Pages /Kids [3 0 R] /Count %s >>" % count,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]))
        save(f"kids-loop-{i}", pdf_of([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]))
        depth = 200 * (i + 1)
        tree = [b"<< /Type /Catalog /Pages 2 0 R >>"]
        for level in range(depth):
            tree.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % (level + 3))
        tree.append(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>" % (depth + 1))
        save(f"deep-page-tree-{depth}", pdf_of(tree))
        megabytes = 64 * (i + 1)
        save(f"deflate-bomb-{megabytes}MB", one_page(b" " * (megabytes << 20), deflate=True))
        pixels = 50_000 + 10_000 * i
        image = stream(b"\x00" * 100, b"/Type /XObject /Subtype /Image /Width %d /Height %d "
                       b"/ColorSpace /DeviceRGB /BitsPerComponent 8" % (pixels, pixels))
        save(f"image-bomb-{pixels}px", one_page(
            b"q 595 0 0 842 0 0 cm /Im0 Do Q", resources=b"<< /XObject << /Im0 5 0 R >> >>",
            extra_objects=[image]))
        form = stream(b"/Fm0 Do", b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] "
                      b"/Resources << /XObject << /Fm0 5 0 R >> >>")
        save(f"form-draws-itself-{i}", one_page(
            b"/Fm0 Do", resources=b"<< /XObject << /Fm0 5 0 R >> >>", extra_objects=[form]))
        for b, box in enumerate((b"[0 0 1e9 1e9]", b"[0 0 0 0]", b"[0 0 -595 -842]",
                                 b"[0 0 14400 14400]", b"[(a) /b]")):
            save(f"page-box-{b}-{i}", one_page(
                b"BT /F1 12 Tf 72 720 Td (x) Tj ET", box=box,
                resources=b"<< /Font << /F1 << /Type /Font /Subtype /Type1 "
                          b"/BaseFont /Helvetica >> >> >>"))
        nest = 10_000 * (i + 1)
        save(f"nested-arrays-{nest}", one_page(b"[" * nest + b"]" * nest + b" pop"))
        save(f"nested-q-{nest}", one_page(b"q " * nest + b"Q " * nest))
        ops = 100_000 * (i + 1)
        font = (b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>")
        save(f"text-op-flood-{ops}", one_page(
            b"BT /F1 1 Tf " + b"0.01 0 Td (a) Tj " * ops + b"ET", resources=font, deflate=True))
        save(f"self-referencing-xref-{i}", one_page(b"").replace(
            b"startxref\n", b"startxref\n0\n%%EOF\nstartxref\n"))
    return made


# --- 2. killed ingest runs -----------------------------------------------------------

@contextlib.contextmanager
def fresh_database(backend: str, tmp: Path, name: str) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp / (name + '.db')}"
        return
    import psycopg

    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"vnplans_rel_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def stored_rows(url: str) -> dict[str, int]:
    """sha256 → rows stored, for every document; {} before the schema exists."""
    from sqlalchemy import text

    from vnplans.store.db import create_readonly_engine

    try:
        engine = create_readonly_engine(url)
    except Exception:  # noqa: BLE001 - killed before the database was made
        return {}
    try:
        with engine.connect() as conn:
            return dict(conn.execute(text(
                "SELECT d.sha256, (SELECT count(*) FROM plan_rows r WHERE r.document_id = d.id)"
                " FROM documents d")).all())
    except Exception:  # noqa: BLE001 - killed before the schema existed
        return {}
    finally:
        engine.dispose()


def sqlite_intact(url: str) -> bool:
    import sqlite3

    path = url.removeprefix("sqlite:///")
    if not url.startswith("sqlite") or not Path(path).exists():
        return True
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def kill_folder(tmp: Path) -> Path:
    from store_fixtures import variant_pdf

    folder = tmp / "kill-plans"
    folder.mkdir()
    for i, pdf in enumerate(fixture_bases()):
        variant_pdf(pdf, folder / f"{pdf.stem}-v{i}.pdf", f"copy {i}")
    for bad in ("truncated-50.pdf", "word-document.pdf"):
        shutil.copy(CORPUS / bad, folder / bad)
    return folder


def kill_runs(tmp: Path, folder: Path, backend: str, kills: int) -> Tally:
    tally = Tally()
    if kills <= 0:
        return tally
    ingest = [*VNPLANS, "ingest", "--no-ocr", "--db"]
    with fresh_database(backend, tmp, f"reference-{backend}") as url:
        started = time.monotonic()
        subprocess.run([*ingest, url, str(folder)], capture_output=True)
        full = time.monotonic() - started
        expected = stored_rows(url)
    rng = random.Random(f"reliability-kills-{backend}")
    i = attempts = 0
    while i < kills and attempts < 3 * kills:
        # A fresh database per kill, killed at a moment spread over a whole run (from
        # start-up and migrations to the last file), then one run to finish the work.
        attempts += 1
        with fresh_database(backend, tmp, f"killed-{backend}-{i}") as url:
            delay = full * (i + 0.5) / kills * rng.uniform(0.9, 1.1)
            began = time.monotonic()
            proc = subprocess.Popen([*ingest, url, str(folder)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(delay)
            if proc.poll() is not None:
                # Finished before the kill (the machine got faster): not counted; the
                # same moment is tried again on the run's new length.
                proc.wait()
                full = min(full, time.monotonic() - began) * 0.95
                continue
            i += 1
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            tally.tried += 1
            after_kill = stored_rows(url)
            whole = sqlite_intact(url) and all(expected.get(sha) == n
                                               for sha, n in after_kill.items())
            try:
                final = subprocess.run([*ingest, url, str(folder)], capture_output=True,
                                       text=True, timeout=HANG_SECONDS)
            except subprocess.TimeoutExpired:
                tally.hung += 1
                continue
            got = stored_rows(url)
            lost = sum(1 for sha, n in expected.items() if got.get(sha) != n)
            crashed = "Traceback" in final.stderr
            tally.lost += lost + (not whole)
            tally.crashed += crashed
            tally.handled += whole and not lost and not crashed
            if not whole:
                tally.notes.append(f"kill {i} ({delay:.1f} s): a partial document was visible")
            if lost:
                tally.notes.append(f"kill {i}: {lost} documents missing after the next run")
    tally.notes.append(f"{backend}: {len(expected)} documents per run, a clean run "
                       f"{full:.1f} s")
    return tally


# --- 3. hostile SQL ------------------------------------------------------------------

def load_queries(path: Path) -> list[dict]:
    if not path.exists():
        return []
    import yaml

    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    for entry in entries:
        outcome = str(entry.get("expected", entry.get("outcome", ""))).replace(" ", "_")
        entry["outcome"] = outcome
        dbs = entry.get("databases", ["sqlite", "postgresql"])
        entry["databases"] = [dbs] if isinstance(dbs, str) else list(dbs)
    return entries


def snapshot(url: str) -> dict[str, int]:
    """Every table's and view's row count (the database's shape, for 'unchanged')."""
    from sqlalchemy import inspect, text

    from vnplans.store.db import create_readonly_engine

    engine = create_readonly_engine(url)
    try:
        names = inspect(engine).get_table_names() + inspect(engine).get_view_names()
        with engine.connect() as conn:
            # Names come from the database's own catalogue.
            return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() for n in names}
    finally:
        engine.dispose()


def _terminate_pg_query(sql: str) -> None:
    import psycopg

    dsn = PG_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE pid <> pg_backend_pid() AND query = %s", (sql,))


def run_queries(entries: list[dict], urls: dict[str, str], out_dir: Path) -> Tally:
    tally = Tally()
    for n, entry in enumerate(entries):
        for backend in entry["databases"]:
            if backend not in urls:
                continue
            out = out_dir / f"out-{n}-{backend}"
            sql = str(entry["sql"]).replace("{out}", str(out))
            before = snapshot(urls[backend])
            tally.tried += 1
            started = time.monotonic()
            # The query's own limit well inside the hang limit: a query stopped by it
            # is "timed out", one still running past the hang limit is hung.
            limit = str(QUERY_HANG_SECONDS // 3)
            proc = subprocess.Popen([*VNPLANS, "query", "--timeout", limit, "--db", urls[backend],
                                     sql],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    errors="replace", stdin=subprocess.DEVNULL, cwd=REPO)
            try:
                stdout, stderr = proc.communicate(timeout=QUERY_HANG_SECONDS)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
                if backend == "postgresql":
                    _terminate_pg_query(sql)
                tally.hung += 1
                tally.notes.append(f"hung ({backend}): {sql[:90]}")
                continue
            seconds = time.monotonic() - started
            changed = snapshot(urls[backend]) != before or out.exists()
            crashed = "Traceback" in stderr or proc.returncode < 0
            lines = stderr.strip().splitlines()
            outcome = entry["outcome"]
            if outcome == "harmless":
                ok = proc.returncode == 0
            elif outcome == "refused":
                ok = proc.returncode != 0 and len(lines) == 1
            else:  # timed_out
                ok = proc.returncode != 0 and len(lines) == 1
            tally.crashed += crashed
            tally.lost += changed
            if ok and not crashed and not changed:
                tally.handled += 1
            else:
                what = ("changed the database" if changed else "crashed" if crashed else
                        f"exit {proc.returncode}, expected {outcome}")
                tally.notes.append(f"not handled ({backend}, {what}, {seconds:.1f} s): "
                                   f"{sql[:90]}")
            with contextlib.suppress(OSError):
                out.unlink()
    return tally


# --- 4. hostile names ----------------------------------------------------------------

def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


HOSTILE_NAMES: list[bytes] = [
    b"a\xff.pdf", b"a\xfe.pdf", b"caf\xe9 (latin-1).pdf", b"\xc0\xaf overlong.pdf",
    b"k\xe1\xba\xbf ho\xe1\xba\xa1ch \xff half-utf8.pdf",
    b"new\nline.pdf", b"vnplans: forged.pdf\nvnplans: x.pdf: stored.pdf",
    b"carriage\rreturn.pdf", b"tab\tname.pdf", b"esc\x1b[2J\x1b[31mred.pdf", b"bell\x07.pdf",
    b"del\x7f.pdf", "c1\x85next-line.pdf".encode(), "line\u2028separator.pdf".encode(),
    "bidi \u202efdp.exe.pdf".encode(), "zero\u200bwidth.pdf".encode(),
    b"-rf.pdf", b"--db=sqlite:evil.pdf", b"-.pdf", b"--.pdf",
    b"k" * 251 + b".pdf", ("kế hoạch " * 40).encode()[:245] + b"-.pdf",
    _nfc("Kế hoạch số 12.pdf").encode(), _nfd("Kế hoạch số 12.pdf").encode(),
    _nfc("Điều chỉnh.pdf").encode(), _nfd("Điều chỉnh.pdf").encode(),
    b"UPPER.PDF", b"upper.pdf", b"100% done.pdf", b"fsbytes:a%FF.pdf",
    b"quote'\"`$(touch pwned).pdf", b" leading space.pdf", b"trailing space .pdf",
    b"*?[glob].pdf", b"back\\slash.pdf", "emoji \U0001f4c4.pdf".encode(),
]
DEEP_DIRS = 30  # × 128-byte folder names: a path of ~3,900 bytes, under PATH_MAX


def _make_named(folder: Path, names: list[bytes], make: Callable[[Path, int], None]) -> list[Path]:
    made = []
    for i, name in enumerate(names):
        path = bytes_path(folder, name)
        make(path, i)
        made.append(path)
    deep = folder
    for level in range(DEEP_DIRS):
        deep = deep / (f"{level:03d}-" + "d" * 124)
    deep.mkdir(parents=True)
    path = deep / "deep.pdf"
    make(path, len(names))
    made.append(path)
    return made


def names_campaign(tmp: Path, backends: list[str]) -> Tally:
    from store_fixtures import variant_pdf

    from vnplans.store.ingest import file_sha256

    tally = Tally()
    base = min(fixture_bases(), key=lambda p: p.stat().st_size)
    good_dir, bad_dir = tmp / "names-good", tmp / "names-bad"
    good_dir.mkdir()
    bad_dir.mkdir()
    def plan_variant(path: Path, i: int) -> None:
        # Made under a plain name and moved: MuPDF takes file names as UTF-8 only.
        made = variant_pdf(base, tmp / "variant.pdf", f"hostile name {i}")
        os.replace(made, path)

    goods = _make_named(good_dir, HOSTILE_NAMES, plan_variant)
    bads = _make_named(bad_dir, HOSTILE_NAMES,
                       lambda p, i: p.write_bytes(b"<html>404 %d</html>\n" % i))
    shas = {str(p): file_sha256(p) for p in goods}

    for backend in backends:
        with fresh_database(backend, tmp, f"names-{backend}") as url:
            maps, lines_ok = [], True
            for run in range(2):
                result = cli("ingest", "--no-ocr", "--db", url, str(good_dir), str(bad_dir),
                             timeout=HANG_SECONDS)
                if "Traceback" in result.stderr:
                    tally.crashed += 1
                    tally.notes.append(f"{backend} ingest run {run}: a traceback")
                lines = result.stderr.splitlines()
                listed = [line for line in lines if line.startswith("vnplans: ")]
                forged = [line for line in lines if not line.startswith("vnplans: ")]
                # A file that is no PDF fails for good: the second run passes over it.
                if len(listed) != (len(bads) if run == 0 else 0) or forged:
                    lines_ok = False
                    tally.notes.append(f"{backend} run {run}: {len(listed)} failure lines for "
                                       f"{len(bads)} bad files, {len(forged)} other lines")
                maps.append({p: d.sha256 for p, d in stored_paths(url).items()})
            for path in goods:
                tally.tried += 1
                key = str(path)
                first, second = maps[0].get(key), maps[1].get(key)
                if first == second == shas[key]:
                    tally.handled += 1
                else:
                    tally.lost += 1
                    tally.notes.append(f"{backend}: {printable(path.name)[:60]} stored as "
                                       f"{first and first[:8]} then {second and second[:8]}")
            tally.tried += len(bads)
            tally.handled += len(bads) if lines_ok else 0
    # Each name through `vnplans extract`: a plan for the good file, one line for the bad.
    for paths, want_plan in ((goods, True), (bads, False)):
        for path in paths:
            tally.tried += 1
            result = cli("extract", "--no-ocr", "--", path.name, cwd=path.parent,
                         timeout=HANG_SECONDS)
            lines = result.stderr.splitlines()
            if "Traceback" in result.stderr or result.returncode < 0:
                tally.crashed += 1
                tally.notes.append(f"extract {printable(path.name)[:60]}: crashed")
            elif want_plan and result.returncode == 0 and not lines or not want_plan and result.returncode == 1 and len(lines) == 1 \
                    and lines[0].startswith(f"vnplans: {printable(path.name)}: "):
                tally.handled += 1
            else:
                tally.notes.append(f"extract {printable(path.name)[:60]}: exit "
                                   f"{result.returncode}, {len(lines)} stderr lines")
    return tally


SECTIONS = ["pdfs", "kills", "queries", "names"]


# --- report --------------------------------------------------------------------------

def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL.replace("postgresql+psycopg://", "postgresql://", 1),
                             connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001
        return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a small sample of every class (a few minutes)")
    parser.add_argument("--mutants", type=int, help="mutants per kind (default 300, quick 10)")
    parser.add_argument("--kills-sqlite", type=int, help="default 30, quick 3")
    parser.add_argument("--kills-pg", type=int, help="default 10, quick 2")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=SECTIONS,
                        help="run only these sections")
    parser.add_argument("--queries", type=Path, default=QUERIES,
                        help=f"hostile SQL list (default {QUERIES.relative_to(REPO)})")
    args = parser.parse_args(argv)
    per_kind = args.mutants if args.mutants is not None else (10 if args.quick else 300)
    kills_sqlite = args.kills_sqlite if args.kills_sqlite is not None else (3 if args.quick else 30)
    kills_pg = args.kills_pg if args.kills_pg is not None else (2 if args.quick else 10)
    backends = ["sqlite"] + (["postgresql"] if _pg_available() else [])

    global QUERY_HANG_SECONDS
    if args.quick:
        QUERY_HANG_SECONDS = 15
    results: dict[str, Tally] = {}
    seconds: dict[str, float] = {}
    started = time.monotonic()

    def section(name: str, run: Callable[[], Tally]) -> None:
        begun = time.monotonic()
        results[name] = run()
        seconds[name] = time.monotonic() - begun
        t = results[name]
        # On stderr at once: a long campaign stopped midway still reports what it did.
        print(f"{name}: tried {t.tried}, handled {t.handled}, crashed {t.crashed}, hung "
              f"{t.hung}, lost {t.lost} ({seconds[name]:.0f} s)", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="vnplans-rel-") as tmp_name:
        tmp = Path(tmp_name)
        if "pdfs" in args.only:
            section("bad-input corpus", lambda: run_extract(sorted(CORPUS.iterdir())))
            folder = tmp / "mutants"
            folder.mkdir()
            section("mutated fixture PDFs",
                    lambda: run_extract(mutants(folder, per_kind), "--no-ocr"))
            hostile = tmp / "hostile"
            hostile.mkdir()
            section("hostile PDFs",
                    lambda: run_extract(hostile_pdfs(hostile, 1 if args.quick else 2)))
        plans = kill_folder(tmp)
        if "kills" in args.only:
            section("ingest SIGKILLed, SQLite",
                    lambda: kill_runs(tmp, plans, "sqlite", kills_sqlite))
        if "kills" in args.only and "postgresql" in backends:
            section("ingest SIGKILLed, PostgreSQL",
                    lambda: kill_runs(tmp, plans, "postgresql", kills_pg))
        entries = load_queries(args.queries) if "queries" in args.only else []
        if entries:
            out_dir = tmp / "query-out"
            out_dir.mkdir()
            out_dir.chmod(0o777)  # the PostgreSQL server could write here, as itself
            tmp.chmod(0o755)
            with contextlib.ExitStack() as stack:
                urls = {}
                for backend in backends:
                    url = stack.enter_context(fresh_database(backend, tmp, f"query-{backend}"))
                    cli("ingest", "--no-ocr", "--db", url, str(plans), timeout=HANG_SECONDS)
                    urls[backend] = url
                section("hostile SQL (vnplans query)",
                        lambda: run_queries(entries, urls, out_dir))
        if "names" in args.only:
            section("hostile file names", lambda: names_campaign(tmp, backends))

    print(f"{'input':<32} {'tried':>6} {'handled':>8} {'crashed':>8} {'hung':>5} {'lost':>5}"
          f" {'seconds':>8}")
    for name, t in results.items():
        print(f"{name:<32} {t.tried:>6} {t.handled:>8} {t.crashed:>8} {t.hung:>5} {t.lost:>5}"
              f" {seconds.get(name, 0):>8.0f}")
    print(f"\n{time.monotonic() - started:.0f} s; databases: {', '.join(backends)}; "
          f"queries from {args.queries if args.queries.exists() else '(no file)'}")
    for name, t in results.items():
        if t.reasons:
            print(f"\n{name}, reasons given: " + "; ".join(
                f"{k} ×{n}" for k, n in sorted(t.reasons.items(), key=lambda kv: -kv[1])))
        for note in t.notes:
            print(f"{name}: {note}")
    bad = any(t.crashed or t.lost or (t.hung and "PDF" not in name and "corpus" not in name)
              for name, t in results.items())
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
