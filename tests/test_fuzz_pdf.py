"""Fuzzing the whole PDF path with damaged copies of real-looking plans.

Fifty mutants (deterministic seeds) of the fixture PDFs — flipped bytes, zeroed ranges,
truncations (with and without a fresh end marker), deleted objects, garbled content
streams — go through `vnplans.pipeline.extract` under the per-file limits of
`vnplans.limits` (a warm `LimitedWorker`), as the CLI runs them. Each must give a plan or a
`VnplansError` (a one-line reason): never another exception, never a crash of the
calling process, never a hang (the time limit turns one into `LimitExceededError`),
never unbounded memory (the memory limit does the same).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pymupdf
import pytest

from vnplans.errors import VnplansError
from vnplans.limits import LimitedWorker
from vnplans.models import PlanDocument
from vnplans.pipeline import preload_pipeline

HERE = Path(__file__).resolve().parent
BASES = [HERE / "fixtures" / "pdfs" / "bd2023.pdf",
         HERE / "fixtures" / "pdfs" / "dn2020.pdf",
         HERE / "badinput" / "corpus" / "ok-plan.pdf"]
SECONDS_PER_FILE = 30
MEMORY_MB = 1024
MUTANTS_PER_KIND = 10  # × 5 kinds = 50


def _expanded(data: bytes) -> bytes:
    """The same PDF with plain objects and uncompressed streams: byte damage then hits
    PDF syntax and content operators instead of only deflate data."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc.tobytes(expand=255, use_objstms=0, no_new_id=True)


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        i = rng.randrange(8, len(out))  # keep "%PDF-1.x": a header hit is just "not a PDF"
        out[i] = rng.randrange(256)
    return bytes(out)


def zero_range(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    start = rng.randrange(16, len(out) - 16)
    length = rng.randint(16, 4096)
    out[start:start + length] = bytes(min(length, len(out) - start))
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    cut = data[: rng.randrange(64, len(data) - 8)]
    # Half of them get an end marker back, so they pass the truncation check and reach
    # MuPDF's repair and the later stages.
    return cut + b"\n%%EOF\n" if rng.random() < 0.5 else cut


_OBJECT = re.compile(rb"\n(\d+) 0 obj\b.*?endobj", re.S)


def delete_object(data: bytes, rng: random.Random) -> bytes:
    plain = _expanded(data)
    objects = list(_OBJECT.finditer(plain))
    victim = rng.choice(objects)
    # Blank it out (offsets of the others stay valid) or cut it (they all shift).
    if rng.random() < 0.5:
        return plain[: victim.start()] + b"\n" + b" " * (victim.end() - victim.start() - 1) \
            + plain[victim.end():]
    return plain[: victim.start()] + plain[victim.end():]


_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def garble_content(data: bytes, rng: random.Random) -> bytes:
    """Damage inside uncompressed streams: operators, operands and strings."""
    plain = bytearray(_expanded(data))
    streams = [m for m in _STREAM.finditer(plain) if m.end(1) - m.start(1) > 32]
    for _ in range(rng.randint(1, 6)):
        m = rng.choice(streams)
        for _ in range(rng.randint(1, 30)):
            i = rng.randrange(m.start(1), m.end(1))
            plain[i] = rng.choice(b"()[]<>/{}\\%0123456789 Tj TJ BT ET re cm q Q \x00\xff")
    return bytes(plain)


KINDS = {"flip": flip_bytes, "zero": zero_range, "truncate": truncate,
         "delete-object": delete_object, "garble-content": garble_content}


def mutant_names() -> list[str]:
    return [f"{kind}-{seed:02d}" for kind in KINDS for seed in range(MUTANTS_PER_KIND)]


@pytest.fixture(scope="module")
def worker():
    """One warm worker for all mutants, as `Limits.run` gives the CLI; it is replaced
    whenever a mutant kills it or runs out of a limit."""
    preload_pipeline()
    pool = LimitedWorker()
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def mutants(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("mutants")
    made = {}
    for name in mutant_names():
        kind, seed = name.rsplit("-", 1)
        rng = random.Random(f"{kind}/{seed}")
        base = BASES[int(seed) % len(BASES)]
        path = folder / f"{name}-{base.stem}.pdf"
        path.write_bytes(KINDS[kind](base.read_bytes(), rng))
        made[name] = path
    return made


def _extract(path: Path) -> PlanDocument:
    from vnplans.pipeline import extract

    return extract(path, ocr=False)


@pytest.mark.parametrize("name", mutant_names())
def test_mutant_gives_a_plan_or_a_reason(name: str, mutants: dict[str, Path],
                                         worker: LimitedWorker):
    path = mutants[name]
    try:
        doc = worker.call(_extract, (path,), {}, seconds=SECONDS_PER_FILE, memory_mb=MEMORY_MB)
    except VnplansError as exc:
        reason = exc.reason
        assert reason and "\n" not in reason
        assert not reason.startswith("internal error")
        assert "crashed" not in reason  # a signal in the worker: a bug in a C library
        return
    assert isinstance(doc, PlanDocument)
    doc.to_json().encode("utf-8")  # strict: no lone surrogates reach the output
