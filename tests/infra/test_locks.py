"""The lock files: exact versions with hashes, within pyproject.toml's ranges, the same runtime versions for the
Lambda layer and the tests, the virtualenv built from them; and the vulnerability audit's verdicts."""

from __future__ import annotations

import re
import tomllib
import warnings
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from infra_cdk.app import REPO_ROOT
from scripts.audit import LOCK_FILES, NOT_AUDITED, VULNERABLE, ignored_advisories, verdict
from scripts.lock import LOCKS

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
DEV = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["dev"]]


def pins(path: str) -> dict[str, tuple[str, int]]:
    """Package -> (version, number of hashes) of a `uv pip compile --generate-hashes` file."""
    text = (REPO_ROOT / path).read_text(encoding="utf-8")
    found: dict[str, tuple[str, int]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s\\;]+)", block)
        if match:
            found[canonicalize_name(match.group(1))] = (match.group(2), block.count("--hash=sha256:"))
    return found


@pytest.mark.parametrize("lock", LOCK_FILES)
def test_every_locked_package_is_pinned_with_hashes(lock: str) -> None:
    locked = pins(lock)
    assert len(locked) > 5
    assert all(count >= 1 for _, count in locked.values()), [p for p, (_, c) in locked.items() if not c]
    body = [line for line in (REPO_ROOT / lock).read_text(encoding="utf-8").splitlines()
            if line and not line.startswith((" ", "#"))]
    assert all("==" in line for line in body), body  # nothing unpinned slipped in


@pytest.mark.parametrize(("lock", "requirements"), [("layers/deps/requirements.txt", RUNTIME),
                                                    ("requirements-dev.lock", RUNTIME + DEV)])
def test_lock_matches_the_pyproject_ranges(lock: str, requirements: list[Requirement]) -> None:
    locked = pins(lock)
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement} is not in {lock}: make lock"
        assert requirement.specifier.contains(locked[name][0], prereleases=True), (
            f"{lock} pins {name}=={locked[name][0]}, outside {requirement.specifier}: make lock")
    if lock == "layers/deps/requirements.txt":
        # Only the runtime dependencies and what they pull in: no dev tool rides into the layer.
        dev_only = {canonicalize_name(r.name) for r in DEV} - {canonicalize_name(r.name) for r in RUNTIME}
        assert not dev_only & set(locked)


def test_the_layer_ships_the_runtime_versions_the_tests_run() -> None:
    layer, dev = pins("layers/deps/requirements.txt"), pins("requirements-dev.lock")
    for requirement in RUNTIME:
        name = canonicalize_name(requirement.name)
        assert layer[name][0] == dev[name][0], name


def test_the_virtualenv_is_built_from_the_dev_lock() -> None:
    wrong = {}
    for name, (version, _) in pins("requirements-dev.lock").items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed = None
        if installed != version:
            wrong[name] = (installed, version)
    assert wrong == {}, "make install (the virtualenv is behind requirements-dev.lock)"


def test_the_sam_lock_pins_the_declared_sam_version() -> None:
    declared = next(line for line in (REPO_ROOT / "infra_cdk/cli/sam-requirements.in").read_text().splitlines()
                    if line and not line.startswith("#"))
    name, version = declared.split("==")
    assert pins("infra_cdk/cli/sam-requirements.txt")[canonicalize_name(name)][0] == version


def test_make_lock_writes_every_lock_the_audit_and_the_build_read() -> None:
    assert {lock.path for lock in LOCKS} == set(LOCK_FILES)
    from infra_cdk.bundling import pip_install_command

    command = pip_install_command(REPO_ROOT / "layers/deps/requirements.txt", "/out")
    assert str(REPO_ROOT / "layers/deps/requirements.txt") in command


# The audit's verdicts -----------------------------------------------------------------------------------------

VULN = {"id": "PYSEC-2099-1", "aliases": ["GHSA-aaaa-bbbb-cccc"], "fix_versions": ["2.0"], "description": "x"}


def test_a_known_vulnerability_fails_the_audit() -> None:
    report = {"dependencies": [{"name": "lib", "version": "1.0", "vulns": [VULN]},
                               {"name": "ok", "version": "1.0", "vulns": []}]}
    result = verdict(report, {})
    assert result.status == VULNERABLE and result.audited == 2
    assert result.findings == ["lib 1.0: PYSEC-2099-1 (fix: 2.0)"]


def test_an_advisory_ignored_with_its_reason_passes_and_is_reported() -> None:
    report = {"dependencies": [{"name": "lib", "version": "1.0", "vulns": [VULN]}]}
    result = verdict(report, {"GHSA-aaaa-bbbb-cccc": "only in the CLI's template engine, which we never run"})
    assert result.status == 0 and result.findings == []
    assert "never run" in result.ignored[0]


def test_packages_that_could_not_be_audited_are_never_a_pass() -> None:
    report = {"dependencies": [{"name": "ok", "version": "1.0", "vulns": []},
                               {"name": "lib", "version": "1.0", "skip_reason": "Dependency not found on PyPI"}]}
    assert verdict(report, {}).status == NOT_AUDITED
    assert verdict({"dependencies": []}, {}).status == NOT_AUDITED


def test_an_ignore_without_a_reason_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.cnpj-radar.audit]\nignore = [{id = "GHSA-1", reason = "ok"}]\n')
    with pytest.raises(ValueError, match="written reason"):
        ignored_advisories(config)
    assert isinstance(ignored_advisories(), dict)  # the repository's own list is valid


def test_pip_audit_on_the_locks_finds_no_known_vulnerability_or_says_it_could_not_audit() -> None:
    """The real audit against PyPI's vulnerability data. When the registry answers, every locked package is
    audited and none may carry an unignored advisory. When it does not (CI here reaches PyPI's JSON API only
    intermittently), the audit must say so (exit 3, packages listed as not audited), and this test says so in a
    warning: it never reports an audit that did not happen as a clean one."""
    import subprocess
    import sys

    completed = subprocess.run([sys.executable, "-m", "scripts.audit"], cwd=REPO_ROOT, capture_output=True,
                               text=True, timeout=900, check=False)
    assert completed.returncode in (0, NOT_AUDITED), completed.stdout + completed.stderr
    if completed.returncode == NOT_AUDITED:
        assert "could not be audited" in completed.stdout and "NOT AUDITED" in completed.stdout
        warnings.warn(f"pip-audit could not audit the locks here: {completed.stdout.strip().splitlines()[-1]}",
                      stacklevel=1)
    else:
        assert "no known vulnerabilities" in completed.stdout and "VULNERABLE" not in completed.stdout
