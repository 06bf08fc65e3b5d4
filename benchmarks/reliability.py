"""Reliability report: bad inputs, damaged PDFs and killed runs, counted.

    .venv/bin/python benchmarks/reliability.py [--kills 5]

1. The bad-input corpus (tests/badinput/corpus/, see make_corpus.py) through
   `vnplans extract` (OCR on, as users run it).
2. Fifty mutants of the fixture plans (tests/test_fuzz_pdf.py: flipped bytes, zeroed
   ranges, truncations, deleted objects, garbled content streams) through
   `vnplans extract --no-ocr`.
3. `vnplans ingest` of twelve plans (and two bad files) into SQLite, SIGKILLed at
   `--kills` moments spread over a run (a fresh database each time); after each kill
   the database is checked (integrity, every document has exactly the rows a clean
   run gives it), then one more run must finish the work without losing a document.

A file is "handled" when it gives a plan, or one stderr line "vnplans: FILE: reason"
whose reason is not an internal error; a "crash" is anything else (a traceback, an
internal error, a file missing from the output, the command killed by a signal).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TESTS = REPO / "tests"
CORPUS = TESTS / "badinput" / "corpus"
PYTHON = sys.executable
VNPLANS = [PYTHON, "-c", "import sys; from vnplans.cli import main; sys.exit(main())"]
sys.path.insert(0, str(TESTS))


@dataclass
class Tally:
    tried: int = 0
    read: int = 0          # gave a plan
    refused: int = 0       # one clear line
    crashes: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)


def run_extract(files: list[Path], *flags: str) -> Tally:
    """All `files` in one `vnplans extract` run, each one classified."""
    result = subprocess.run([*VNPLANS, "extract", *flags, *map(str, files)],
                            capture_output=True, text=True, errors="replace")
    tally = Tally(tried=len(files))
    read = {json.loads(line)["source"]["file"] for line in result.stdout.splitlines()
            if line.strip()} if len(files) > 1 else set()
    if len(files) == 1 and result.returncode == 0:
        read = {json.loads(result.stdout)["source"]["file"]}
    failed: dict[str, str] = {}
    for line in result.stderr.splitlines():
        for f in files:
            prefix = f"vnplans: {f}: "
            if line.startswith(prefix):
                failed[f.name] = line[len(prefix):]
    if result.returncode < 0:
        tally.crashes.append(f"the command died by signal {-result.returncode}")
    if "Traceback" in result.stderr:
        tally.crashes.append("a traceback on stderr")
    for f in files:
        if f.name in read:
            tally.read += 1
        elif f.name in failed and not failed[f.name].startswith("internal error"):
            tally.refused += 1
            kind = failed[f.name].split(":")[0].split("(")[0].strip()
            tally.reasons[kind] = tally.reasons.get(kind, 0) + 1
        else:
            tally.crashes.append(f"{f.name}: {failed.get(f.name, 'no output at all')}")
    return tally


def mutants(folder: Path) -> list[Path]:
    import test_fuzz_pdf as fuzz

    made = []
    for name in fuzz.mutant_names():
        kind, seed = name.rsplit("-", 1)
        rng = random.Random(f"{kind}/{seed}")
        base = fuzz.BASES[int(seed) % len(fuzz.BASES)]
        path = folder / f"{name}-{base.stem}.pdf"
        path.write_bytes(fuzz.KINDS[kind](base.read_bytes(), rng))
        made.append(path)
    return made


def stored_rows(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        try:
            return dict(conn.execute(
                "SELECT d.sha256, (SELECT count(*) FROM plan_rows r WHERE r.document_id = d.id)"
                " FROM documents d").fetchall())
        except sqlite3.OperationalError:  # killed before the schema existed
            return {}


def whole(db: Path, expected: dict[str, int]) -> bool:
    if not db.exists():
        return True
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            return False
    return all(expected.get(sha) == n for sha, n in stored_rows(db).items())


def kill_runs(tmp: Path, kills: int) -> dict[str, int]:
    from store_fixtures import fixture_pdfs, variant_pdf

    folder = tmp / "plans"
    folder.mkdir()
    for pdf in fixture_pdfs():
        for i in range(2):
            variant_pdf(pdf, folder / f"{pdf.stem}-v{i}.pdf", f"copy {i}")
    for bad in ("truncated-50.pdf", "word-document.pdf"):
        shutil.copy(CORPUS / bad, folder / bad)
    expected_db = tmp / "reference.db"
    started = time.monotonic()
    subprocess.run([*VNPLANS, "ingest", "--no-ocr", "--db", f"sqlite:///{expected_db}",
                    str(folder)], capture_output=True)
    full = time.monotonic() - started
    expected = stored_rows(expected_db)

    rng = random.Random("reliability-kills")
    done = survived = lost = tracebacks = 0
    for i in range(kills):
        # A fresh database per kill, killed at a moment spread over a whole run (from
        # start-up and migrations to the last file), then one run to finish the work.
        db = tmp / f"killed-{i}.db"
        delay = full * (i + 0.5) / kills * rng.uniform(0.9, 1.1)
        proc = subprocess.Popen([*VNPLANS, "ingest", "--no-ocr", "--db", f"sqlite:///{db}",
                                 str(folder)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            done += 1
            proc.wait()
            survived += whole(db, expected)
        else:
            proc.wait()
        final = subprocess.run([*VNPLANS, "ingest", "--no-ocr", "--db", f"sqlite:///{db}",
                                str(folder)], capture_output=True, text=True)
        tracebacks += "Traceback" in final.stderr
        got = stored_rows(db)
        lost += sum(1 for sha, n in expected.items() if got.get(sha) != n)
    return {"kills": done, "survived": survived, "documents": len(expected) * kills,
            "lost": lost, "final_traceback": tracebacks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=5)
    args = parser.parse_args(argv)

    corpus = run_extract(sorted(CORPUS.iterdir()))
    with tempfile.TemporaryDirectory(prefix="vnplans-rel-") as tmp:
        folder = Path(tmp) / "mutants"
        folder.mkdir()
        fuzz = run_extract(mutants(folder), "--no-ocr")
        kills = kill_runs(Path(tmp), args.kills)

    print(f"{'input':<30} {'tried':>6} {'handled':>8} {'read':>6} {'refused':>8} {'crashes':>8}")
    for name, t in (("bad-input corpus", corpus), ("mutated fixture PDFs", fuzz)):
        print(f"{name:<30} {t.tried:>6} {t.read + t.refused:>8} {t.read:>6} {t.refused:>8} "
              f"{len(t.crashes):>8}")
    print()
    print(f"ingest killed with SIGKILL: {kills['kills']} kills, {kills['survived']} left a whole "
          f"database; after the next runs {kills['documents'] - kills['lost']}/"
          f"{kills['documents']} documents whole, documents lost: {kills['lost']}, "
          f"tracebacks: {kills['final_traceback']}")
    print()
    for name, t in (("bad-input corpus", corpus), ("mutated fixture PDFs", fuzz)):
        if t.reasons:
            print(f"{name}, reasons given: " + "; ".join(
                f"{k} ×{n}" for k, n in sorted(t.reasons.items(), key=lambda kv: -kv[1])))
        for crash in t.crashes:
            print(f"{name}, CRASH: {crash}")
    bad = corpus.crashes or fuzz.crashes or kills["lost"] or kills["survived"] < kills["kills"]
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
