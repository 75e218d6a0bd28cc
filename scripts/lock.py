"""Regenerate the lock files from pyproject.toml's ranges (`make lock`), or check them offline (`--check`).

- layers/deps/requirements.txt: the runtime dependencies for the Lambda platform (Python PYTHON_VERSION,
  manylinux x86_64), with hashes: what infra_cdk/bundling.py pip-installs into the deps layer.
- requirements-dev.lock: runtime and dev dependencies for this machine's Python (the virtualenv `make install`
  builds and CI runs), with hashes.
- infra_cdk/cli/sam-requirements.txt: the SAM CLI, in its own virtualenv (.venv/sam): its pins (boto3,
  pydantic, click, cfn-lint) would otherwise hold the project's back.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from infra_cdk.settings import PYTHON_VERSION

__all__ = ["LOCKS", "Lock", "main"]

REPO = Path(__file__).resolve().parents[1]
DEV_PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"


@dataclass(frozen=True)
class Lock:
    path: str
    source: str  # pyproject.toml or a requirements input
    python: str
    platform: str
    extras: tuple[str, ...] = ()
    header: str = ""
    wheels_only: bool = False  # the Lambda layer is pip-installed with --only-binary: resolve only what has wheels

    def command(self, uv: str) -> list[str]:
        command = [uv, "pip", "compile", self.source, "--generate-hashes", "--python-version", self.python,
                   "--python-platform", self.platform, "--no-header", "--quiet", "--output-file", self.path]
        for extra in self.extras:
            command += ["--extra", extra]
        if self.wheels_only:
            command += ["--only-binary", ":all:"]
        return command


LOCKS = (
    Lock("layers/deps/requirements.txt", "pyproject.toml", PYTHON_VERSION, "x86_64-manylinux_2_34", wheels_only=True,
         header="# The deps Lambda layer: pyproject.toml's [project].dependencies locked for the Lambda platform\n"
                f"# (Python {PYTHON_VERSION}, manylinux_2_34 x86_64, wheels only) by `make lock` (scripts/lock.py); "
                "do not edit by hand.\n"
                "# infra_cdk/bundling.py pip-installs exactly this; tests/infra/test_locks.py checks it against "
                "pyproject.toml.\n"),
    Lock("requirements-dev.lock", "pyproject.toml", DEV_PYTHON, "x86_64-unknown-linux-gnu", extras=("dev",),
         header="# The development virtualenv (make install) and CI: pyproject.toml with [dev], locked by `make lock`\n"
                f"# (scripts/lock.py) for Python {DEV_PYTHON} on Linux x86_64; do not edit by hand.\n"),
    Lock("infra_cdk/cli/sam-requirements.txt", "infra_cdk/cli/sam-requirements.in", DEV_PYTHON,
         "x86_64-unknown-linux-gnu",
         header="# The SAM CLI's own virtualenv (.venv/sam, make tools), locked by `make lock` (scripts/lock.py).\n"),
)


def regenerate(uv: str, only: list[str] | None = None) -> None:
    for lock in LOCKS:
        if only and lock.path not in only:
            continue
        subprocess.run(lock.command(uv), cwd=REPO, check=True)
        target = REPO / lock.path
        target.write_text(lock.header + target.read_text(encoding="utf-8"), encoding="utf-8")
        print(f"wrote {lock.path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.lock", description=__doc__)
    parser.add_argument("locks", nargs="*", help="only these lock files (default: all)")
    args = parser.parse_args(argv)
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        print("uv is missing: make install (it is a dev dependency)", file=sys.stderr)
        return 2
    regenerate(uv, args.locks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
