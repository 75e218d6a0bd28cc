"""The target's report digest: equal digests mean a diff with nothing in it, so the old check need not be read."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from radar.checks.diff import VOLATILE_KEYS, diff_reports
from radar.checks.runner import report_digest

_TEXT = st.text(alphabet="abcdeÁÉ ", max_size=6)
_FIELDS = st.fixed_dictionaries(
    {
        "cnpj": st.just("19131243000197"),
        "legal_name": _TEXT,
        "status": st.sampled_from(["ATIVA", "BAIXADA", "SUSPENSA"]),
        "address": st.fixed_dictionaries({"street": _TEXT, "city": _TEXT}),
        "partners": st.lists(st.fixed_dictionaries({"name": _TEXT, "document": _TEXT}), max_size=3),
    }
)
_VOLATILE = st.fixed_dictionaries(
    {"fetched_at": st.text(max_size=20), "source": st.sampled_from(["cnpjws", "brasilapi"]), "cached": st.booleans()}
)


@given(_FIELDS, _VOLATILE, _VOLATILE)
def test_reports_that_differ_only_in_volatile_fields_share_a_digest_and_diff_empty(
    fields: dict[str, Any], first: dict[str, Any], second: dict[str, Any]
) -> None:
    old, new = {**fields, **first}, {**fields, **second}
    assert report_digest(old) == report_digest(new)
    diff = diff_reports(old, new, previous_check_id="chk_1")
    assert not diff["changed"] and diff["changes"] == [] and diff["partners_in"] == diff["partners_out"] == []
    # ...which is what the runner answers for an equal digest without reading the old report.
    assert diff == diff_reports(new, new, previous_check_id="chk_1")


@given(_FIELDS, _FIELDS)
def test_reports_with_different_compared_fields_have_different_digests(a: dict[str, Any], b: dict[str, Any]) -> None:
    if a != b:
        assert report_digest(a) != report_digest(b)


def test_the_digest_ignores_exactly_the_volatile_keys() -> None:
    base = {"cnpj": "19131243000197", "status": "ATIVA"}
    assert all(report_digest({**base, key: "x"}) == report_digest(base) for key in VOLATILE_KEYS)
    assert report_digest({**base, "legal_name": "ACME"}) != report_digest(base)
