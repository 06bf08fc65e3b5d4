"""`vnplans extract --jobs 2` on a scan, as a user runs it: the file is read in the
per-file worker (`vnplans.limits`, a daemonic process) and its scanned pages are OCR'd
by two processes started from there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCAN = Path(__file__).parent / "fixtures" / "scanned" / "bd2023_scan.pdf"


@pytest.mark.ocr
def test_extract_jobs_2_reads_the_scan_as_one_process_does():
    from vnplans.pipeline import extract

    serial = json.loads(extract(SCAN).to_json())
    # (The tests' OCR cache is shared with the command: it reads what `serial` read.)
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from vnplans.cli import main; sys.exit(main())",
         "extract", "--jobs", "2", str(SCAN)],
        capture_output=True, text=True, stdin=subprocess.DEVNULL, env=dict(os.environ),
        timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr
    parallel = json.loads(proc.stdout)
    assert len(parallel["rows"]) == len(serial["rows"]) >= 20
    assert parallel["rows"] == serial["rows"]
