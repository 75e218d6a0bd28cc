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
        ("minhareceita_19131243000197.json", "minhareceita", "19131243000197", None),
        ("minhareceita_error_400_foobar.json", "minhareceita", None, "400"),
        ("minhareceita_error_404_33787094000140.json", "minhareceita", "33787094000140", "404"),
        ("opencnpj_19131243000197_BONUS.json", "opencnpj", "19131243000197", None),
        ("opencnpj_error_404_94580730000152.json", "opencnpj", "94580730000152", "404"),
        ("cnpja_07526557011659.json", "cnpja", "07526557011659", None),
        ("cnpja_error_429_model.json", "cnpja", None, "429"),
    ],
)
def test_names_are_parsed(filename: str, provider: str, cnpj: str | None, error_kind: str | None) -> None:
    name = parse_fixture_name(filename)
    assert name is not None
    assert (name.provider, name.cnpj, name.error_kind) == (provider, cnpj, error_kind)


@pytest.mark.parametrize(
    "filename",
    ["minhareceita_updated_2023-06-30_old-format.json", "apipj_19131243000197.json", "SOURCES.md", "cnpjws_notes.json"],
)
def test_other_files_are_skipped(filename: str) -> None:
    assert parse_fixture_name(filename) is None


def test_shared_fixtures_are_indexed() -> None:
    fixtures = FixtureStore(default_fixtures_dir()).current()
    assert set(fixtures.records["27865757000102"]) == {"cnpjws", "receitaws"}
    assert set(fixtures.records["33683111000280"]) == {"brasilapi"}
    assert set(fixtures.records["19131243000197"]) == {"brasilapi", "minhareceita", "opencnpj"}
    assert set(fixtures.records["07526557011659"]) == {"cnpja"}
    assert fixtures.errors_by_cnpj["12ABC34501DE35"]["brasilapi"].status == 404
    assert fixtures.errors_by_cnpj["23713354000189"]["receitaws"].status == 200
    assert fixtures.errors_by_cnpj["94580730000152"]["opencnpj"].body == {"error": "not found"}
    assert fixtures.templates[("cnpjws", "invalid")].body["titulo"] == "Requisição inválida"
    assert fixtures.templates[("cnpja", "rate_limited")].status == 429
    minhareceita_400 = fixtures.templates[("minhareceita", "invalid")]
    assert (minhareceita_400.status, minhareceita_400.subject) == (400, "foobar")  # the echoed input
    # The ?datasets= answer is not the company record: it is kept apart.
    assert fixtures.datasets["19131243000197"] == {"ceis": None, "cepim": None, "cnep": None}
    assert "razao_social" in fixtures.records["19131243000197"]["opencnpj"]


def test_brasilapi_and_minhareceita_share_records_and_not_found_answers() -> None:
    fixtures = FixtureStore(default_fixtures_dir()).current()
    # Each serves its own file first, the twin's otherwise (BrasilAPI passes minha-receita's body through).
    assert fixtures.record("19131243000197", "minhareceita") == fixtures.records["19131243000197"]["minhareceita"]
    assert fixtures.record("33683111000280", "minhareceita") == fixtures.records["33683111000280"]["brasilapi"]
    assert fixtures.record("33683111000280", "cnpjws") is None
    twin_404 = fixtures.error_sample("12ABC34501DE35", "minhareceita")
    assert twin_404 is not None and twin_404.provider == "brasilapi"
    assert fixtures.error_sample("33787094000140", "brasilapi") is not None
    # A captured server error stays with its provider, and proves nothing about the company.
    assert fixtures.error_sample("65478551000100", "minhareceita") is None
    assert fixtures.known("12ABC34501DE35") and fixtures.known("19131243000197")
    assert not fixtures.known("65478551000100")


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
