"""Local (Docker-free) bundling: the deps layer with pip for the Lambda platform, and bytecode for every asset.

Lambda's code folders are read-only, so Python cannot cache bytecode there: modules shipped without `__pycache__`
are compiled again on every cold start (about 100 ms for our handlers here). Assets therefore ship `.pyc` files
compiled by the runtime's Python (and by the synth's Python, which the local cloud runs them with), in
unchecked-hash mode so that no source timestamp, which zip files round to 2 s, can make Python ignore them.
"""

from __future__ import annotations

import compileall
import glob
import os
import py_compile
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

from infra_cdk.settings import PYTHON_VERSION

__all__ = [
    "ASSET_EXCLUDES",
    "BUNDLE_DEPS_CONTEXT",
    "LAMBDA_PLATFORMS",
    "BytecodeLocalBundling",
    "PipLocalBundling",
    "compile_bytecode",
    "compiled_code",
    "deps_layer_code",
    "pip_install_command",
    "runtime_python",
]

# False (set by a plain local synth) stages the deps layer's requirements file instead of running pip.
BUNDLE_DEPS_CONTEXT = "radar:bundle-deps"
# Never shipped: caches of the machine that ran the synth (bytecode is compiled afresh into the asset).
ASSET_EXCLUDES = ["**/__pycache__", "**/*.pyc", "*.egg-info", "**/.pytest_cache", "**/.mypy_cache"]
_COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".pytest_cache", ".mypy_cache")
# The Docker fallback does the same as the local bundlers, inside the SAM build image of the runtime's Python.
_COMPILE_IN_IMAGE = "python -m compileall -q --invalidation-mode unchecked-hash /asset-output"


# The Lambda python3.12 runtime runs on Amazon Linux 2023 (glibc 2.34): wheels for any manylinux up to 2.34 fit.
# pip matches an explicit --platform exactly (it does not widen manylinux_2_34 to older tags), so each is named.
# scripts/lock.py resolves the layer's lock for the same platform (x86_64-manylinux_2_34, wheels only).
LAMBDA_PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_28_x86_64", "manylinux_2_34_x86_64")


def pip_install_command(requirements: Path, output_dir: str) -> list[str]:
    """pip picks manylinux x86_64 wheels for the runtime's Python, whatever the machine running the synth."""
    platforms = [arg for platform in LAMBDA_PLATFORMS for arg in ("--platform", platform)]
    return [
        sys.executable, "-m", "pip", "install",
        "--requirement", str(requirements),
        # The lock lists every package with its hashes: install exactly it, resolve nothing.
        "--require-hashes", "--no-deps",
        "--target", str(Path(output_dir) / "python"),
        *platforms,
        "--implementation", "cp",
        "--python-version", PYTHON_VERSION,
        "--only-binary=:all:",
        "--no-compile",
        "--disable-pip-version-check",
        "--quiet",
    ]


@jsii.implements(ILocalBundling)
class PipLocalBundling:
    """CDK calls try_bundle first; returning True means Docker is never needed."""

    def __init__(self, source_dir: Path, run: Callable[[Sequence[str]], None] | None = None) -> None:
        self._requirements = source_dir / "requirements.txt"
        self._run = run or _run_checked

    # jsii passes the BundlingOptions struct positionally; nothing in it is needed for pip.
    def try_bundle(self, output_dir: str, *_options: Any, **_kwargs: Any) -> bool:
        self._run(pip_install_command(self._requirements, output_dir))
        # pip's own compile step would use the synth's Python; the layer needs the runtime's bytecode.
        compile_bytecode(Path(output_dir), self._run)
        return True


@jsii.implements(ILocalBundling)
class BytecodeLocalBundling:
    """Copies a source folder (without local caches) into the asset and compiles its bytecode."""

    def __init__(self, source_dir: Path, run: Callable[[Sequence[str]], None] | None = None) -> None:
        self._source_dir = source_dir
        self._run = run or _run_checked

    def try_bundle(self, output_dir: str, *_options: Any, **_kwargs: Any) -> bool:
        shutil.copytree(self._source_dir, output_dir, ignore=_COPY_IGNORE, dirs_exist_ok=True)
        compile_bytecode(Path(output_dir), self._run)
        return True


def _version_of(interpreter: str) -> str | None:
    try:
        completed = subprocess.run(  # noqa: S603 - a fixed probe, run on an interpreter found on this machine
            [interpreter, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except OSError:
        return None
    return completed.stdout.strip() if completed.returncode == 0 else None


@lru_cache(maxsize=4)
def runtime_python(version: str = PYTHON_VERSION) -> str | None:
    """An interpreter of the Lambda runtime's Python on this machine: RADAR_RUNTIME_PYTHON, `pythonX.Y` on PATH,
    or a pyenv install. None when there is none (pyenv shims that point at nothing are probed, not trusted)."""
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = [
        os.environ.get("RADAR_RUNTIME_PYTHON"),
        sys.executable if f"{sys.version_info[0]}.{sys.version_info[1]}" == version else None,
        shutil.which(f"python{version}"),
        *sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"), reverse=True),
    ]
    for candidate in candidates:
        if candidate and _version_of(candidate) == version:
            return candidate
    return None


def compile_bytecode(
    directory: Path, run: Callable[[Sequence[str]], None] | None = None, version: str = PYTHON_VERSION
) -> list[str]:
    """Writes `__pycache__` bytecode into `directory` for the runtime's Python and for this Python (the local
    cloud's runtime). Returns the cache tags written. Without the runtime's Python the asset still deploys; Lambda
    then compiles at every cold start, so this says so rather than failing the synth."""
    compileall.compile_dir(
        str(directory), quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH, workers=1
    )
    tags = [sys.implementation.cache_tag]
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        return tags
    interpreter = runtime_python(version)
    if interpreter is None:
        print(f"warning: no python{version} on this machine (set RADAR_RUNTIME_PYTHON): {directory.name} ships "
              f"bytecode for {sys.implementation.cache_tag} only, so Lambda compiles it at every cold start",
              file=sys.stderr)
        return tags
    (run or _run_checked)(
        [interpreter, "-m", "compileall", "-q", "--invalidation-mode", "unchecked-hash", str(directory)]
    )
    return [*tags, "cpython-" + version.replace(".", "")]


def _run_checked(command: Sequence[str]) -> None:
    # Fixed argument list, no shell: the only inputs are paths CDK and this repo chose.
    subprocess.run(list(command), check=True)  # noqa: S603


def compiled_code(source_dir: Path, run: Callable[[Sequence[str]], None] | None = None) -> lambda_.Code:
    """A function's or layer's own code, shipped with its bytecode (offline and fast, so every synth does it)."""
    return lambda_.Code.from_asset(
        str(source_dir),
        exclude=ASSET_EXCLUDES,
        bundling=BundlingOptions(
            image=DockerImage.from_registry(f"public.ecr.aws/sam/build-python{PYTHON_VERSION}"),
            command=["bash", "-c", f"cp -a /asset-input/. /asset-output/ && {_COMPILE_IN_IMAGE}"],
            local=BytecodeLocalBundling(source_dir, run=run),
        ),
    )


def deps_layer_code(
    source_dir: Path, run: Callable[[Sequence[str]], None] | None = None, *, bundle: bool = True
) -> lambda_.Code:
    """The deps layer asset: pip's tree for the Lambda platform. With `bundle` off (a local synth: offline, fast)
    it is the source folder as is, and the local cloud runs the functions on the project's virtualenv instead."""
    if not bundle:
        return lambda_.Code.from_asset(str(source_dir), exclude=ASSET_EXCLUDES)
    return lambda_.Code.from_asset(
        str(source_dir),
        bundling=BundlingOptions(
            # Required by the API as the fallback; local bundling always answers first.
            image=DockerImage.from_registry(f"public.ecr.aws/sam/build-python{PYTHON_VERSION}"),
            command=[
                "bash", "-c",
                "pip install --require-hashes --no-deps -r requirements.txt -t /asset-output/python "
                f"--only-binary=:all: --python-version {PYTHON_VERSION} --no-compile && {_COMPILE_IN_IMAGE}",
            ],
            local=PipLocalBundling(source_dir, run=run),
        ),
    )
