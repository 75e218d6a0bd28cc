"""Local (Docker-free) bundling of the third-party dependencies layer with pip for the Lambda platform."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

from infra_cdk.settings import PYTHON_VERSION

__all__ = ["PipLocalBundling", "deps_layer_code", "pip_install_command"]


def pip_install_command(requirements: Path, output_dir: str) -> list[str]:
    """pip picks manylinux x86_64 wheels for the runtime's Python, whatever the machine running the synth."""
    return [
        sys.executable, "-m", "pip", "install",
        "--requirement", str(requirements),
        "--target", str(Path(output_dir) / "python"),
        "--platform", "manylinux2014_x86_64",
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
        return True


def _run_checked(command: Sequence[str]) -> None:
    # Fixed argument list, no shell: the only inputs are paths CDK and this repo chose.
    subprocess.run(list(command), check=True)  # noqa: S603


def deps_layer_code(source_dir: Path, run: Callable[[Sequence[str]], None] | None = None) -> lambda_.Code:
    """The deps layer asset. Skipped (source folder as is) when the app sets `aws:cdk:bundling-stacks` to []."""
    return lambda_.Code.from_asset(
        str(source_dir),
        bundling=BundlingOptions(
            # Required by the API as the fallback; local bundling always answers first.
            image=DockerImage.from_registry(f"public.ecr.aws/sam/build-python{PYTHON_VERSION}"),
            command=[
                "bash", "-c",
                f"pip install -r requirements.txt -t /asset-output/python --only-binary=:all: "
                f"--python-version {PYTHON_VERSION}",
            ],
            local=PipLocalBundling(source_dir, run=run),
        ),
    )
