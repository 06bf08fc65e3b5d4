"""`vnplans extract` run as a program ends the process itself when done (`quick_exit`):
exit handlers still run, every line of output arrives, the exit status is kept; run
in-process with an argument list, `main` just returns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from vnplans.cli import main

REPO = Path(__file__).resolve().parents[1]
PDFS = REPO / "tests" / "fixtures" / "pdfs"

# As the console script does, plus an exit handler of the caller's own.
SCRIPT = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
    "from vnplans.cli import main\n"
    "sys.exit(main())\n"
)


def _vnplans(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True,
                          text=True, timeout=600)


def test_extract_as_a_program_keeps_output_status_and_exit_handlers(tmp_path) -> None:
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("Kế hoạch\n", encoding="utf-8")
    files = [PDFS / "dn2020.pdf", not_pdf, PDFS / "bd2023.pdf"]
    result = _vnplans("extract", "--no-ocr", *map(str, files))
    assert result.returncode == 1
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [d["source"]["file"] for d in docs] == ["dn2020.pdf", "bd2023.pdf"]
    assert all(d["rows"] for d in docs)
    lines = result.stderr.splitlines()
    assert lines[-1] == "exit handler ran"
    assert [line for line in lines if "notes.pdf" in line] == [
        f"vnplans: {not_pdf}: a text file, not a PDF"]


def test_extract_to_a_file_as_a_program(tmp_path) -> None:
    out = tmp_path / "plans.jsonl"
    result = _vnplans("extract", "--no-ocr", "--timeout", "0", "--max-memory", "0",
                      str(PDFS / "dn2020.pdf"), str(PDFS / "qb2023_portrait.pdf"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "exit handler ran\n"
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [d["source"]["file"] for d in docs] == ["dn2020.pdf", "qb2023_portrait.pdf"]


def test_main_with_arguments_returns(capsys) -> None:
    assert main(["extract", "--no-ocr", "--timeout", "0", "--max-memory", "0",
                 str(PDFS / "dn2020.pdf")]) == 0
    assert json.loads(capsys.readouterr().out)["source"]["file"] == "dn2020.pdf"


def test_blas_thread_pool_is_off_unless_the_user_set_it(monkeypatch, tmp_path) -> None:
    """OpenBLAS's idle threads spin on the second core: the CLI asks for one thread
    before NumPy loads, and keeps a value the user exported."""
    missing = str(tmp_path / "missing.pdf")
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    assert main(["extract", "--no-ocr", missing]) == 1
    assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    assert main(["extract", "--no-ocr", missing]) == 1
    assert os.environ["OPENBLAS_NUM_THREADS"] == "4"
