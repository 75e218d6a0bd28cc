"""Unit tests of radar.checks.diff: field changes, partners in and out, volatile fields ignored."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from radar.checks.diff import diff_reports, partner_identity


def _report(**overrides: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "cnpj": "19131243000197",
        "legal_name": "ACME LTDA",
        "status": "ATIVA",
        "address": {"city": "SAO PAULO", "state": "SP"},
        "secondary_cnaes": ["6201501", "6202300"],
        "partners": [
            {"name": "MARIA SILVA", "document": "***123456**", "role": "Sócia"},
            {"name": "JOAO SOUZA", "document": "***654321**", "role": "Sócio"},
        ],
        "fetched_at": "2026-11-01T00:00:00Z",
        "source": "cnpjws",
    }
    report.update(overrides)
    return report


def test_first_report_is_a_baseline_with_no_changes() -> None:
    diff = diff_reports(None, _report())
    assert diff["baseline"] is True
    assert diff["changed"] is False
    assert diff["changes"] == [] and diff["partners_in"] == [] and diff["partners_out"] == []


def test_status_change_is_reported_with_from_and_to() -> None:
    diff = diff_reports(_report(), _report(status="BAIXADA"), previous_check_id="chk_1")
    assert diff["changed"] is True
    assert diff["previous_check_id"] == "chk_1"
    assert diff["changes"] == [{"field": "status", "from": "ATIVA", "to": "BAIXADA"}]


def test_nested_fields_are_compared_by_dotted_path() -> None:
    diff = diff_reports(_report(), _report(address={"city": "CAMPINAS", "state": "SP"}))
    assert diff["changes"] == [{"field": "address.city", "from": "SAO PAULO", "to": "CAMPINAS"}]


def test_volatile_fields_and_list_order_do_not_count_as_changes() -> None:
    later = _report(fetched_at="2026-11-20T00:00:00Z", source="brasilapi", secondary_cnaes=["6202300", "6201501"])
    diff = diff_reports(_report(), later)
    assert diff["changed"] is False
    assert diff["changes"] == []


def test_partners_in_and_out_by_name_and_document() -> None:
    current = _report(
        partners=[
            {"name": "MARIA SILVA", "document": "***123456**", "role": "Administradora"},  # same person, new role
            {"name": "ANA COSTA", "document": "***111222**", "role": "Sócia"},
        ]
    )
    diff = diff_reports(_report(), current)
    assert [p["name"] for p in diff["partners_in"]] == ["ANA COSTA"]
    assert [p["name"] for p in diff["partners_out"]] == ["JOAO SOUZA"]
    # Partners are compared as a set, not as fields: no "partners.0.role" style change.
    assert all(not c["field"].startswith("partners") for c in diff["changes"])


def test_same_name_with_another_document_is_another_partner() -> None:
    current = _report(
        partners=[
            {"name": "MARIA SILVA", "document": "***999999**"},
            {"name": "JOAO SOUZA", "document": "***654321**"},
        ]
    )
    diff = diff_reports(_report(), current)
    assert [p["document"] for p in diff["partners_in"]] == ["***999999**"]
    assert [p["document"] for p in diff["partners_out"]] == ["***123456**"]


def test_partner_identity_ignores_case_and_spacing() -> None:
    assert partner_identity({"name": " maria  silva ", "document": "***123456**"}) == ("MARIA SILVA", "***123456**")
    assert partner_identity({"nome_socio": "X", "cnpj_cpf_do_socio": "1"}) == ("X", "1")


def test_field_that_appears_or_disappears_is_a_change() -> None:
    diff = diff_reports(_report(), _report(trade_name="ACME"))
    assert diff["changes"] == [{"field": "trade_name", "from": None, "to": "ACME"}]


_names = st.sampled_from(["ANA", "BIA", "CAIO", "DANI", "EDU"])
_docs = st.sampled_from(["***111111**", "***222222**", "12345678000195"])
_partner_lists = st.lists(st.fixed_dictionaries({"name": _names, "document": _docs}), max_size=6)


@given(before=_partner_lists, after=_partner_lists, status=st.sampled_from(["ATIVA", "BAIXADA", "INAPTA"]))
def test_partner_sets_and_self_diff_properties(
    before: list[dict[str, str]], after: list[dict[str, str]], status: str
) -> None:
    diff = diff_reports(_report(partners=before), _report(partners=after, status=status))
    old = {partner_identity(p) for p in before}
    new = {partner_identity(p) for p in after}
    assert {partner_identity(p) for p in diff["partners_in"]} == new - old
    assert {partner_identity(p) for p in diff["partners_out"]} == old - new
    assert diff["changed"] == bool(new ^ old or status != "ATIVA")
    assert diff_reports(_report(partners=after), _report(partners=after))["changed"] is False
