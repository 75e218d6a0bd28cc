"""What changed between two reports of the same target: field changes, and partners in and out."""

from __future__ import annotations

from typing import Any

__all__ = ["PARTNER_LIST_KEYS", "VOLATILE_KEYS", "diff_reports", "partner_identity"]

# Fields that change on every fetch without the company changing; comparing them would make every diff noisy.
VOLATILE_KEYS = frozenset(
    {
        "fetched_at",
        "retrieved_at",
        "source",
        "sources",
        "cached",
        "source_updated_at",
        "updated_at",
        "provenance",
        "attempts",
        "partial",
        "partial_reasons",
        "personal_data_redacted",
        "cache",
    }
)
PARTNER_LIST_KEYS = ("partners", "qsa", "socios")
_NAME_KEYS = ("name", "nome", "nome_socio")
_DOCUMENT_KEYS = ("document", "tax_id", "cpf_cnpj", "cpf_cnpj_socio", "cnpj_cpf_do_socio", "masked_cpf")


def partner_identity(partner: Any) -> tuple[str, str]:
    """Partners are the same person or company when name and document match (case and spacing ignored)."""
    if not isinstance(partner, dict):
        return (str(partner).strip().upper(), "")
    name = next((str(partner[k]) for k in _NAME_KEYS if partner.get(k)), "")
    document = next((str(partner[k]) for k in _DOCUMENT_KEYS if partner.get(k)), "")
    return (" ".join(name.upper().split()), document.strip().upper())


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            if key in VOLATILE_KEYS or (not prefix and key in PARTNER_LIST_KEYS):
                continue
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    else:
        out[prefix] = _comparable(value)


def _comparable(value: Any) -> Any:
    # Lists of scalars (secondary CNAEs, phones) compare as sets: the providers do not keep their order.
    if isinstance(value, list) and all(isinstance(v, str | int | float | bool) or v is None for v in value):
        return sorted(value, key=lambda v: (str(type(v)), str(v)))
    return value


def _partners(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    for key in PARTNER_LIST_KEYS:
        partners = report.get(key)
        if isinstance(partners, list):
            return {partner_identity(p): p for p in partners}
    return {}


def diff_reports(
    previous: dict[str, Any] | None, current: dict[str, Any], *, previous_check_id: str | None = None
) -> dict[str, Any]:
    """The changes from `previous` to `current` (report JSON); with no previous report `baseline` is true.

    The result holds partner names and documents: it is stored with the check and returned to the
    tenant, and must never be logged (only counts may be).
    """
    if previous is None:
        return {
            "baseline": True,
            "previous_check_id": None,
            "changes": [],
            "partners_in": [],
            "partners_out": [],
            "changed": False,
        }
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(previous, "", before)
    _flatten(current, "", after)
    changes = [
        {"field": field, "from": before.get(field), "to": after.get(field)}
        for field in sorted(before.keys() | after.keys())
        if before.get(field) != after.get(field)
    ]
    old_partners, new_partners = _partners(previous), _partners(current)
    partners_in = [new_partners[k] for k in sorted(new_partners.keys() - old_partners.keys())]
    partners_out = [old_partners[k] for k in sorted(old_partners.keys() - new_partners.keys())]
    return {
        "baseline": False,
        "previous_check_id": previous_check_id,
        "changes": changes,
        "partners_in": partners_in,
        "partners_out": partners_out,
        "changed": bool(changes or partners_in or partners_out),
    }
