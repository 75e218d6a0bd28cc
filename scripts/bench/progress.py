"""Progress for the long developer commands (bench, chaos, load): rich bars with counts and an ETA on a terminal,
plain timestamped lines elsewhere (CI logs, pipes), so a run is never silent for minutes.

    with Progress() as progress:
        stage = progress.stage("settle", total=500)
        stage.update(completed=312, status="290 succeeded, 22 failed")
        stage.done("500 final")

Progress goes to stderr, so stdout keeps only the results (`name: value` lines, reports); on a terminal, results
printed while a stage runs go above the bars. `RADAR_PROGRESS=plain` (or `rich`) overrides the terminal detection.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

__all__ = ["Progress", "Stage", "format_duration"]


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    minutes, secs = divmod(seconds, 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


class Stage:
    """One step of a run: a count towards an optional total, a status text, a start and an end."""

    def __init__(self, progress: Progress, name: str, total: float | None) -> None:
        self.progress = progress
        self.name = name
        self.total = total
        self.completed = 0.0
        self.status = ""
        self.started = time.monotonic()
        self.finished = False
        self._task: Any = None
        self._last_line = 0.0

    def eta_seconds(self) -> float | None:
        """Time left at the average rate so far, when the total is known and something is done."""
        if not self.total or self.completed <= 0 or self.completed >= self.total:
            return None
        elapsed = time.monotonic() - self.started
        return elapsed / self.completed * (self.total - self.completed)

    def line(self) -> str:
        """The plain-text form: `name: 312/500 (62%), 1m05s, ETA 40s · status`."""
        elapsed = format_duration(time.monotonic() - self.started)
        if self.total:
            count = f"{self.completed:.0f}/{self.total:.0f} ({self.completed / self.total:.0%})"
        else:
            count = f"{self.completed:.0f}" if self.completed else "running"
        eta = self.eta_seconds()
        parts = [f"{self.name}: {count}, {elapsed}" + (f", ETA {format_duration(eta)}" if eta is not None else "")]
        if self.status:
            parts.append(self.status)
        return " · ".join(parts)

    def update(self, *, completed: float | None = None, advance: float = 0, total: float | None = None,
               status: str | None = None) -> None:
        with self.progress.lock:
            if total is not None:
                self.total = total
            if completed is not None:
                self.completed = completed
            self.completed += advance
            if status is not None:
                self.status = status
        self.progress._changed(self)

    def advance(self, amount: float = 1) -> None:
        self.update(advance=amount)

    def done(self, summary: str | None = None) -> None:
        if self.finished:
            return
        if summary is not None:
            self.status = summary
        if self.total is not None and self.completed < self.total and summary is None:
            self.status = (self.status + " · " if self.status else "") + "stopped early"
        self.finished = True
        self.progress._finished(self)


class Progress:
    """Stages and an optional live table, drawn with rich on a terminal or as plain lines every `every` seconds."""

    def __init__(self, *, live: bool | None = None, every: float = 15.0, out: TextIO | None = None,
                 console: Any = None) -> None:
        self.out = out or sys.stderr
        chosen = os.environ.get("RADAR_PROGRESS", "").lower()
        if live is None:
            live = chosen == "rich" or (chosen != "plain" and self.out.isatty() and not os.environ.get("CI"))
        self.live = live
        self.every = every
        self.lock = threading.Lock()
        self.stages: list[Stage] = []
        self._table: Callable[[], Any] | None = None
        self._table_lines: Callable[[], list[str]] | None = None
        self._last_table = 0.0
        self._rich: Any = None
        self._display: Any = None
        self._console = console

    # -- context ----------------------------------------------------------------------------------------------------
    def __enter__(self) -> Progress:
        if self.live:
            from rich.console import Console, Group
            from rich.live import Live
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            console = self._console or Console(file=self.out)
            self._rich = RichProgress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                TextColumn("{task.fields[status]}"),
                console=console,
            )
            progress = self._rich

            class _Body:
                def __rich__(inner) -> Any:
                    table = self._table() if self._table else None
                    return Group(progress, table) if table is not None else progress

            self._display = Live(_Body(), console=console, refresh_per_second=4, redirect_stdout=True,
                                 redirect_stderr=True)
            self._display.start()
        return self

    def __exit__(self, *exc: object) -> None:
        for stage in self.stages:
            if not stage.finished:
                stage.done()
        if self._display is not None:
            self._display.stop()
        elif self._table_lines is not None:
            self._print_table()

    # -- use --------------------------------------------------------------------------------------------------------
    def stage(self, name: str, total: float | None = None, status: str = "") -> Stage:
        stage = Stage(self, name, total)
        stage.status = status
        with self.lock:
            self.stages.append(stage)
        if self._rich is not None:
            stage._task = self._rich.add_task(name, total=total, status=status)
        else:
            self._print(f"{name}: started" + (f" ({total:.0f} to do)" if total else ""))
        return stage

    def table(self, render: Callable[[], Any], lines: Callable[[], list[str]]) -> None:
        """A table kept live under the bars (`render` gives a rich renderable), or printed as `lines` every
        `every` seconds and at the end when the output is plain."""
        self._table, self._table_lines = render, lines

    def note(self, text: str) -> None:
        self._print(f"# {text}")

    # -- drawing ----------------------------------------------------------------------------------------------------
    def _print(self, text: str) -> None:
        if self._display is not None:
            self._display.console.print(text, markup=False, highlight=False)
        else:
            print(f"[{time.strftime('%H:%M:%S')}] {text}", file=self.out, flush=True)

    def _changed(self, stage: Stage) -> None:
        if self._rich is not None:
            self._rich.update(stage._task, completed=stage.completed, total=stage.total, status=stage.status)
            return
        now = time.monotonic()
        if now - stage._last_line >= self.every:
            stage._last_line = now
            self._print(stage.line())
        if self._table_lines is not None and now - self._last_table >= self.every:
            self._print_table()

    def _print_table(self) -> None:
        assert self._table_lines is not None
        self._last_table = time.monotonic()
        for row in self._table_lines():
            self._print(row)

    def _finished(self, stage: Stage) -> None:
        if self._rich is not None:
            total = stage.total if stage.total is not None else max(stage.completed, 1)
            self._rich.update(stage._task, completed=stage.completed if stage.total else total, total=total,
                              status=stage.status)
            self._rich.stop_task(stage._task)
            return
        self._print(f"{stage.name}: done in {format_duration(time.monotonic() - stage.started)}"
                    + (f" · {stage.status}" if stage.status else ""))
