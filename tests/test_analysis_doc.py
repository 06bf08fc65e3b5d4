"""docs/analysis.md is the real output of its analysis: running
scripts/make_analysis_doc.py again on the sample plans gives the same page, and the
chart it shows is drawn."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_analysis_doc", REPO / "scripts" / "make_analysis_doc.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_analysis_doc_is_up_to_date(tmp_path: Path) -> None:
    generator = _generator()
    text = generator.build(tmp_path)
    committed = (REPO / "docs" / "analysis.md").read_text(encoding="utf-8")
    assert text == committed, ("docs/analysis.md is stale: run "
                               ".venv/bin/python scripts/make_analysis_doc.py")
    chart = tmp_path / generator.CHART
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (REPO / "docs" / generator.CHART).is_file()
    assert f"]({generator.CHART})" in committed
