"""Install the console's npm dependencies when missing or stale, and build it when its sources changed.

Dependencies: `npm ci` (never `npm install`) when console/node_modules is missing or was installed from another
package-lock.json (a hash of the lockfile is kept in node_modules). Build: `vite build` into console/dist,
skipped when a hash of the sources (and of the tiers file the console bundles) is unchanged, like
scripts/localcloud/synth.py does for the CDK app.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

__all__ = ["CONSOLE_DIR", "DIST_DIR", "SOURCE_GLOBS", "build", "ensure_deps", "npm", "run_checks", "source_hash"]

REPO = Path(__file__).resolve().parents[2]
CONSOLE_DIR = REPO / "console"
DIST_DIR = CONSOLE_DIR / "dist"
NODE_MODULES = CONSOLE_DIR / "node_modules"
LOCKFILE = CONSOLE_DIR / "package-lock.json"
DEPS_MARKER = NODE_MODULES / ".radar-lock-hash"
BUILD_MARKER = DIST_DIR / ".source-hash"
# Several processes may build at once (the local cloud's synth and its console service, a test and a cloud): one
# at a time, and each finds the other's result by its hash.
LOCK_FILE = CONSOLE_DIR / ".build.lock"
# What the built files depend on (relative to the repository). The tiers file is bundled (console/src/lib/plans.ts).
SOURCE_GLOBS = (
    "console/src/**/*",
    "console/public/**/*",
    "console/index.html",
    "console/package.json",
    "console/package-lock.json",
    "console/tsconfig.json",
    "console/vite.config.ts",
    "layers/radar/python/radar/tiers.json",
)


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def source_hash() -> str:
    """Of every file the build reads (tests are not bundled, so they do not count)."""
    paths = {p for pattern in SOURCE_GLOBS for p in REPO.glob(pattern) if p.is_file()}
    return _digest(sorted(p for p in paths if ".test." not in p.name))


def npm() -> str:
    found = shutil.which("npm")
    if not found:
        raise RuntimeError("npm is missing: the console needs Node.js 20 and npm (apt-get install nodejs npm)")
    return found


def _run(args: list[str], what: str) -> None:
    env = {**os.environ, "npm_config_update_notifier": "false", "NO_COLOR": "1"}
    result = subprocess.run(args, cwd=CONSOLE_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({' '.join(args[:3])}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")


@contextlib.contextmanager
def _exclusive() -> Iterator[None]:
    with open(LOCK_FILE, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_deps(*, force: bool = False) -> bool:
    """`npm ci` when node_modules is missing or stale; returns whether it ran."""
    with _exclusive():
        return _ensure_deps(force=force)


def _ensure_deps(*, force: bool) -> bool:
    wanted = _digest([LOCKFILE])
    if not force and DEPS_MARKER.exists() and DEPS_MARKER.read_text() == wanted:
        return False
    _run([npm(), "ci", "--no-audit", "--no-fund", "--prefer-offline"], "npm ci")
    DEPS_MARKER.write_text(wanted)
    return True


def build(*, force: bool = False) -> tuple[Path, bool]:
    """Return (console/dist, whether vite ran); the build is skipped when the sources hash is unchanged."""
    with _exclusive():
        _ensure_deps(force=False)
        return _build(force=force)


def _build(*, force: bool) -> tuple[Path, bool]:
    current = source_hash()
    index = DIST_DIR / "index.html"
    if not force and index.exists() and BUILD_MARKER.exists() and BUILD_MARKER.read_text() == current:
        return DIST_DIR, False
    _run([str(NODE_MODULES / ".bin" / "vite"), "build", "--logLevel", "warn"], "console build")
    BUILD_MARKER.write_text(current)
    return DIST_DIR, True


def run_checks() -> None:
    """What `make test` asks of the console: the TypeScript typecheck and the vitest suite (with the type drift)."""
    ensure_deps()
    for args, what in (
        ([str(NODE_MODULES / ".bin" / "tsc"), "--noEmit", "-p", "tsconfig.json"], "console typecheck"),
        ([str(NODE_MODULES / ".bin" / "vitest"), "run", "--reporter=dot"], "console unit tests"),
    ):
        result = subprocess.run(args, cwd=CONSOLE_DIR, env={**os.environ, "NO_COLOR": "1"}, text=True)
        if result.returncode != 0:
            raise SystemExit(f"{what} failed")
