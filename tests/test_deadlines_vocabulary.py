"""The deadline vocabulary is data: a user extends it with a deadlines.yaml in a
directory of VNPLANS_EXTRACTORS, without touching code."""

from __future__ import annotations

from pathlib import Path

import pytest

from vnplans import knowledge
from vnplans.normalize.deadline_text import vocabulary
from vnplans.normalize.deadlines import parse_deadline


def _clear() -> None:
    knowledge.load.cache_clear()
    vocabulary.cache_clear()


@pytest.fixture
def user_vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "deadlines.yaml").write_text(
        "continuous:\n  - quanh năm suốt tháng\n"
        "event_openers:\n  - chờ\n"
        "unspecified:\n  - theo thông báo sau\n"
        "units:\n  kỳ: quarter\n",
        encoding="utf-8")
    monkeypatch.setenv(knowledge.ENV_VAR, str(tmp_path))
    _clear()
    yield
    monkeypatch.delenv(knowledge.ENV_VAR)
    _clear()


def test_bundled_vocabulary_does_not_know_the_words() -> None:
    _clear()
    schedule, warnings = parse_deadline("Chờ hướng dẫn của Bộ", 2023)
    assert schedule.kind == "unspecified" and schedule.confidence == 0.0 and warnings


def test_user_file_extends_the_vocabulary(user_vocabulary) -> None:
    schedule, warnings = parse_deadline("Chờ hướng dẫn của Bộ", 2023)
    assert (schedule.kind, schedule.detail, warnings) == ("event", "Chờ hướng dẫn của Bộ", [])
    assert parse_deadline("Quanh năm suốt tháng", 2023)[0].kind == "continuous"
    assert parse_deadline("Theo thông báo sau", 2023)[0].kind == "unspecified"
    schedule, _ = parse_deadline("Kỳ II/2024", 2023)
    assert (schedule.kind, str(schedule.due)) == ("period", "2024-06-30")
    # the bundled words still work
    assert parse_deadline("Hàng quý", 2023)[0].frequencies == ["quarterly"]
