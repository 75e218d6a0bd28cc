"""Fixture names and the fixture directory: records vs error samples, provider prefixes, reload on change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scripts.sandbox.fixtures import FixtureStore, default_fixtures_dir, parse_fixture_name


@pytest.mark.parametrize(
    ("filename", "provider", "cnpj", "error_kind"),
    [
        ("cnpjws_05525406000101.json", "cnpjws", "05525406000101", None),
        ("brasilapi-minhareceita_33683111000280.json", "brasilapi", "33683111000280", None),
        ("brasilapi_00000000E08G12_alfanumerico_QSA-TRUNCATED.json", "brasilapi", "00000000E08G12", None),
        ("receitaws_12345678000195_baixada_REDACTED.json", "receitaws", "12345678000195", None),
        ("brasilapi_error_404_12ABC34501DE35.json", "brasilapi", "12ABC34501DE35", "404"),
        ("receitaws_error_rejeitado_23713354000189.json", "receitaws", "23713354000189", "rejeitado"),
        ("cnpjws_error_400_model.json", "cnpjws", None, "400"),
    ],
)
def test_names_are_parsed(filename: str, provider: str, cnpj: str | None, error_kind: str | None) -> None:
    name = parse_fixture_name(filename)
    assert name is not None
    assert (name.provider, name.cnpj, name.error_kind) == (provider, cnpj, error_kind)


@pytest.mark.parametrize(
    "filename",
    ["opencnpj_19131243000197_BONUS.json", "minhareceita_error_400_foobar.json", "SOURCES.md", "cnpjws_notes.json"],
)
def test_other_files_are_skipped(filename: str) -> None:
    assert parse_fixture_name(filename) is None


def test_shared_fixtures_are_indexed() -> None:
    fixtures = FixtureStore(default_fixtures_dir()).current()
    assert set(fixtures.records["27865757000102"]) == {"cnpjws", "receitaws"}
    assert set(fixtures.records["33683111000280"]) == {"brasilapi"}
    assert fixtures.errors_by_cnpj["12ABC34501DE35"]["brasilapi"].status == 404
    assert fixtures.errors_by_cnpj["23713354000189"]["receitaws"].status == 200
    assert fixtures.templates[("cnpjws", "invalid")].body["titulo"] == "Requisição inválida"
    assert "19131243000197" in fixtures.records and "opencnpj" not in str(fixtures.records)


def test_environment_overrides_the_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RADAR_SANDBOX_FIXTURES", str(tmp_path))
    assert default_fixtures_dir() == tmp_path


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "receitaws_11222333000181.json"
    path.write_text(json.dumps({"status": "OK", "situacao": "ATIVA"}), encoding="utf-8")
    store = FixtureStore(tmp_path)
    assert store.current().records["11222333000181"]["receitaws"]["situacao"] == "ATIVA"

    path.write_text(json.dumps({"status": "OK", "situacao": "BAIXADA"}), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # coarse-mtime filesystems
    assert store.current().records["11222333000181"]["receitaws"]["situacao"] == "BAIXADA"

    path.unlink()
    assert "11222333000181" not in store.current().records


def test_a_broken_file_is_skipped_and_a_missing_directory_is_empty(tmp_path: Path) -> None:
    (tmp_path / "cnpjws_11222333000181.json").write_text("{not json", encoding="utf-8")
    assert FixtureStore(tmp_path).current().records == {}
    assert FixtureStore(tmp_path / "absent").current().records == {}
