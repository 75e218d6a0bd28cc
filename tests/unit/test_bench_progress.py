"""Progress of the long commands: rich bars on a terminal, plain lines (with counts and an ETA) in CI logs."""

from __future__ import annotations

import io
import re
import time

import pytest

from scripts.bench.progress import Progress, format_duration


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_plain_lines_when_not_a_terminal_with_counts_eta_and_a_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_PROGRESS", raising=False)
    out = io.StringIO()  # not a TTY, as in CI
    with Progress(out=out, every=0) as progress:
        assert progress.live is False
        stage = progress.stage("settle", total=4)
        stage.started -= 10  # ten seconds in
        stage.update(completed=1, status="1 succeeded")
        stage.done("4 final")
    lines = out.getvalue().splitlines()
    assert re.fullmatch(r"\[\d\d:\d\d:\d\d\] settle: started \(4 to do\)", lines[0])
    assert "settle: 1/4 (25%), 10s, ETA 30s · 1 succeeded" in lines[1]  # 10 s for 1 of 4: 30 s to go
    assert lines[-1].endswith("settle: done in 10s · 4 final")
    assert "\x1b[" not in out.getvalue()  # no terminal escapes in a log


def test_plain_lines_are_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_PROGRESS", raising=False)
    out = io.StringIO()
    with Progress(out=out, every=60) as progress:
        stage = progress.stage("submit", total=1000)
        for _ in range(1000):
            stage.advance()
    assert len(out.getvalue().splitlines()) <= 3  # started, (at most one) progress line, done


def test_a_stage_without_total_and_one_left_unfinished(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_PROGRESS", raising=False)
    out = io.StringIO()
    with Progress(out=out, every=0) as progress:
        stage = progress.stage("start cloud")
        assert stage.eta_seconds() is None
        cut = progress.stage("drain", total=10)
        cut.update(completed=3)
    assert "start cloud: done in" in out.getvalue()
    assert "drain: done in 0s · stopped early" in out.getvalue()


def test_a_live_table_prints_its_rows_in_plain_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_PROGRESS", raising=False)
    out = io.StringIO()
    with Progress(out=out, every=0) as progress:
        progress.table(lambda: None, lambda: ["GET /targets  12 req  p50 8.0 ms"])
        progress.stage("load", total=5).update(completed=2)
    assert "GET /targets  12 req  p50 8.0 ms" in out.getvalue()


def test_rich_bars_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RADAR_PROGRESS", raising=False)
    monkeypatch.delenv("CI", raising=False)
    from rich.console import Console

    out = _Tty()
    console = Console(file=out, force_terminal=True, width=120)
    with Progress(out=out, console=console) as progress:
        assert progress.live is True
        stage = progress.stage("settle", total=500)
        stage.update(completed=312, status="290 succeeded")
        progress.note("a figure line")
        time.sleep(0.3)
        stage.done()
    text = out.getvalue()
    assert "312/500" in text or "500/500" in text
    assert "290 succeeded" in text and "a figure line" in text


def test_the_environment_overrides_terminal_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_PROGRESS", "plain")
    assert Progress(out=_Tty()).live is False
    monkeypatch.setenv("RADAR_PROGRESS", "rich")
    assert Progress(out=io.StringIO()).live is True
    monkeypatch.delenv("RADAR_PROGRESS")
    monkeypatch.setenv("CI", "true")
    assert Progress(out=_Tty()).live is False  # CI logs are plain even on a pseudo-terminal


def test_format_duration() -> None:
    assert (format_duration(5.4), format_duration(65), format_duration(3600)) == ("5s", "1m05s", "60m00s")
