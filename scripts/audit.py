"""Known-vulnerability audit of the locked dependencies (`make audit`): pip-audit on every lock file.

Fails (exit 1) on any known vulnerability that is not ignored in pyproject.toml's [tool.cnpj-radar.audit] with a
written reason. PyPI's vulnerability data (the `pypi` service: the registry's own JSON API, the only one CI
reaches) carries no severity, so every advisory counts as high: an advisory is either fixed (bump the lock) or
ignored with its reason. A lock that could not be audited at all (the service unreachable, a package unknown to
it) is exit 3, never a pass.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LOCK_FILES", "NOT_AUDITED", "VULNERABLE", "Verdict", "ignored_advisories", "main", "verdict"]

REPO = Path(__file__).resolve().parents[1]
LOCK_FILES = ("layers/deps/requirements.txt", "requirements-dev.lock", "infra_cdk/cli/sam-requirements.txt")
VULNERABLE = 1
NOT_AUDITED = 3


@dataclass
class Verdict:
    audited: int = 0
    findings: list[str] = field(default_factory=list)  # "<package> <version>: <id> (fix: ...)"
    ignored: list[str] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)  # "<package> <version>: <why>"

    @property
    def status(self) -> int:
        if self.findings:
            return VULNERABLE
        return NOT_AUDITED if self.not_audited or not self.audited else 0

    def lines(self) -> list[str]:
        out = [f"audited {self.audited} locked packages"]
        out += [f"VULNERABLE {line}" for line in self.findings]
        out += [f"ignored {line}" for line in self.ignored]
        out += [f"NOT AUDITED {line}" for line in self.not_audited]
        return out


def ignored_advisories(pyproject: Path = REPO / "pyproject.toml") -> dict[str, str]:
    """Advisory id -> the written reason it is ignored. A reason shorter than a sentence is refused."""
    config = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    entries = config.get("tool", {}).get("cnpj-radar", {}).get("audit", {}).get("ignore", [])
    ignored: dict[str, str] = {}
    for entry in entries:
        reason = str(entry.get("reason", "")).strip()
        if len(reason) < 30:
            raise ValueError(f"advisory {entry.get('id')}: an ignored advisory needs a written reason")
        ignored[str(entry["id"])] = reason
    return ignored


def verdict(report: dict[str, Any], ignored: dict[str, str]) -> Verdict:
    """Read pip-audit's JSON report."""
    result = Verdict()
    for dependency in report.get("dependencies", []):
        name, version = dependency.get("name"), dependency.get("version")
        if "skip_reason" in dependency:
            result.not_audited.append(f"{name} {version}: {dependency['skip_reason']}")
            continue
        result.audited += 1
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            line = f"{name} {version}: {vuln['id']} (fix: {', '.join(vuln.get('fix_versions', [])) or 'none'})"
            known = sorted(ids & set(ignored))
            if known:
                result.ignored.append(f"{line}: {ignored[known[0]]}")
            else:
                result.findings.append(line)
    return result


def run(lock: str, pip_audit: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "report.json"
        # Fully pinned and hashed: no resolution, no virtualenv, one query per package to the registry.
        command = [pip_audit, "--requirement", str(REPO / lock), "--require-hashes", "--disable-pip",
                   "--vulnerability-service", "pypi", "--format", "json", "--output", str(output),
                   "--progress-spinner", "off"]
        completed = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
        if not output.exists():
            return {"dependencies": [{"name": lock, "version": "-", "skip_reason":
                                      f"pip-audit failed: {completed.stderr.strip()[-300:]}"}]}
        return dict(json.loads(output.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.audit", description=__doc__)
    parser.add_argument("locks", nargs="*", default=list(LOCK_FILES))
    args = parser.parse_args(argv)
    pip_audit = str(Path(sys.executable).with_name("pip-audit"))
    ignored = ignored_advisories()
    total = Verdict()
    for lock in args.locks:
        part = verdict(run(lock, pip_audit), ignored)
        print(f"{lock}: " + "; ".join(part.lines()), flush=True)
        total.audited += part.audited
        total.findings += part.findings
        total.ignored += part.ignored
        total.not_audited += part.not_audited
    status = total.status
    print({0: "no known vulnerabilities", VULNERABLE: "known vulnerabilities found",
           NOT_AUDITED: f"{len(total.not_audited)} locked packages could not be audited"}[status])
    return status


if __name__ == "__main__":
    sys.exit(main())
