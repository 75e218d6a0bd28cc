"""The CLI's parts that need no API: companies files, the credentials file, exit codes, and the SDK's packaging."""

from __future__ import annotations

import os
import re
import stat
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from radar_sdk import config
from radar_sdk.cli import EXIT, cli, read_companies

REPO = Path(__file__).resolve().parents[2]


def test_companies_files_with_a_header_any_separator_and_a_bom(tmp_path: Path) -> None:
    semicolons = tmp_path / "a.csv"
    semicolons.write_text("\ufeffLabel;CNPJ;Tags\nACME;19.131.243/0001-97;fornecedor|sp\n\n;12ABC34501DE35;\n",
                          encoding="utf-8")
    companies = read_companies(semicolons)
    assert [(c.line, c.cnpj, c.label, c.tags) for c in companies] == [
        (2, "19.131.243/0001-97", "ACME", ["fornecedor", "sp"]),
        (4, "12ABC34501DE35", None, None),
    ]
    bare = tmp_path / "b.csv"
    bare.write_text("19131243000197,OKBR\n12ABC34501DE35\n", encoding="utf-8")
    assert [(c.line, c.cnpj, c.label) for c in read_companies(bare)] == [
        (1, "19131243000197", "OKBR"), (2, "12ABC34501DE35", None)
    ]


def test_credentials_are_private_and_live_in_the_config_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_CONFIG_DIR", str(tmp_path / "cfg"))
    path = config.save(config.Credentials(api_url="http://x", api_key="rdr_secret"))
    assert path.parent == tmp_path / "cfg"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    loaded = config.load()
    assert loaded is not None and loaded.api_key == "rdr_secret"
    assert config.forget() and config.load() is None


def test_without_credentials_a_command_says_how_to_sign_in_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RADAR_CONFIG_DIR", str(tmp_path))
    monkeypatch.delenv("RADAR_API_KEY", raising=False)
    result = CliRunner().invoke(cli, ["--api-url", "http://127.0.0.1:9", "usage"])
    assert result.exit_code == EXIT["auth"] == 3
    assert "radar login" in result.output


def test_an_unreachable_api_is_exit_7(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("RADAR_API_KEY", "rdr_x")
    monkeypatch.setenv("RADAR_RETRIES", "1")
    result = CliRunner().invoke(cli, ["--api-url", "http://127.0.0.1:9", "usage"])
    assert result.exit_code == EXIT["unavailable"] == 7, result.output


def test_the_exit_codes_are_documented_in_the_help() -> None:
    help_text = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    for name, code in EXIT.items():
        if code:
            assert re.search(rf"\b{code} [a-z]", help_text), f"exit code {code} ({name}) is not in radar --help"


def test_the_dev_lock_satisfies_every_sdk_dependency() -> None:
    """make install puts the SDK in with --no-deps: what it needs must be pinned in requirements-dev.lock."""
    from packaging.requirements import Requirement

    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==([^\s\\]+)", (REPO / "requirements-dev.lock").read_text(), re.M))
    pins = {name.lower().replace("_", "-"): version for name, version in pins.items()}
    sdk = tomllib.loads((REPO / "sdk" / "pyproject.toml").read_text())["project"]
    for line in sdk["dependencies"]:
        requirement = Requirement(line)
        assert requirement.name in pins, f"{requirement.name} is not in the dev lock"
        assert requirement.specifier.contains(pins[requirement.name]), f"{requirement} vs {pins[requirement.name]}"


def test_the_sdk_is_installed_with_its_cli() -> None:
    import radar_sdk

    assert Path(radar_sdk.__file__).resolve().is_relative_to(REPO / "sdk" / "src")
    assert os.access(Path(sys.executable).parent / "radar", os.X_OK)
