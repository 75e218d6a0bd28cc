"""Every make target does what `make help` says: each has a recipe (or a prerequisite that has one) and a help text
in words a newcomer reads, never an internal label."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RULE = re.compile(r"^([A-Za-z$()._/-]+):(?!=)([^#]*)(?:## (.*))?$")


def _rules() -> tuple[set[str], dict[str, tuple[list[str], str, list[str]]]]:
    """(phony names, {target: (prerequisites, help text, recipe lines)}) from the Makefile."""
    phony: set[str] = set()
    rules: dict[str, tuple[list[str], str, list[str]]] = {}
    current: str | None = None
    for line in (REPO / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith(".PHONY:"):
            phony |= set(line.removeprefix(".PHONY:").split())
            continue
        if line.startswith("\t") and current is not None:
            rules[current][2].append(line.strip())
            continue
        match = RULE.match(line)
        current = None
        if match:  # a target may have several rules (one adds prerequisites): merge them
            current = match.group(1)
            prerequisites, help_text, recipe = rules.get(current, ([], "", []))
            rules[current] = (prerequisites + match.group(2).split(), help_text or (match.group(3) or "").strip(),
                              recipe)
    return phony, rules


def test_every_phony_target_has_a_recipe_and_a_help_text() -> None:
    phony, rules = _rules()
    assert {"up", "test", "seed", "redrive", "invoke", "clean"} <= phony
    for name in sorted(phony):
        assert name in rules, f"{name} is declared .PHONY but has no rule"
        prerequisites, help_text, recipe = rules[name]
        works = bool(recipe) or any(rules.get(p, ([], "", []))[2] for p in prerequisites)
        assert works, f"make {name} does nothing: no recipe, and no prerequisite with one"
        assert help_text, f"make {name} has no help text (## ...)"
        assert not re.search(r"\bissue \d+", help_text, re.IGNORECASE), f"internal label in make {name}: {help_text}"


def test_make_help_lists_every_target_and_dry_runs_name_their_commands() -> None:
    phony, _ = _rules()
    listed = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO, capture_output=True, text=True)
    assert listed.returncode == 0
    assert {line.split()[0] for line in listed.stdout.splitlines() if line.strip()} == phony
    for target, command in (("seed", "scripts.seed_demo"), ("redrive", "scripts/redrive_dlq.py")):
        dry = subprocess.run(["make", "--no-print-directory", "-n", target], cwd=REPO, capture_output=True, text=True)
        assert command in dry.stdout, dry.stdout + dry.stderr


def test_the_suite_s_paths_cover_every_test_directory() -> None:
    """pytest runs its testpaths in the order given (unit first, e2e last): a new test directory must be listed."""
    import tomllib

    paths = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    listed = [REPO / p for p in paths["testpaths"]]
    for test_file in (REPO / "tests").rglob("test_*.py"):
        assert any(test_file.is_relative_to(p) for p in listed), f"{test_file} is outside pytest's testpaths"
    assert paths["testpaths"][-1] == "tests/e2e"
