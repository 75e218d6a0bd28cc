"""What changed between two reports of the same target: field changes, and partners in and out.

A diff says what changed in the world, not in the pipe: values compare in one canonical form (case, accents and
spacing folded, "" / [] / {} / absent read as null, lists as sets), and when the two reports come from different
providers a field that one of them does not carry (null on one side) is not a change, nor is a capital that only
differs by one provider's float32 rounding (minha-receita, BrasilAPI).
"""

from __future__ import annotations

import copy
import json
import re
import struct
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = ["DERIVED_KEYS", "PARTNER_LIST_KEYS", "VOLATILE_KEYS", "canonical", "diff_reports", "partner_identity"]

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
        "age_seconds",
        "stale",
    }
)
# Texts that follow from a code (a CNAE's description): their wording differs between providers and CNAE table
# versions, while the code, which is compared, says what the company does.
DERIVED_KEYS = frozenset({"main_cnae_description", "secondary_cnae_details"})
PARTNER_LIST_KEYS = ("partners", "qsa", "socios")
_NAME_KEYS = ("name", "nome", "nome_socio")
_DOCUMENT_KEYS = ("document", "tax_id", "cpf_cnpj", "cpf_cnpj_socio", "cnpj_cpf_do_socio", "masked_cpf")
_SKIPPED_AT_TOP = VOLATILE_KEYS | DERIVED_KEYS | frozenset(PARTNER_LIST_KEYS)
_CAPITAL_KEY = "share_capital"
_STREET_KEY = "address.street"
_COUNTRY_KEY = "address.country"
# Brazil as the RF dump leaves it (empty) and as reports spell it: reports written before "Brasil" was filled in
# for domestic addresses must not show it as a change.
_BRAZIL = frozenset({None, "BRASIL", "BRAZIL"})
# How the RF dump abbreviates street types inside the street (ReceitaWS: "R LOPES QUINTAS", "AV PAULISTA").
_STREET_ABBREVIATIONS = {
    "R": "RUA",
    "AV": "AVENIDA",
    "AL": "ALAMEDA",
    "TV": "TRAVESSA",
    "TRAV": "TRAVESSA",
    "PC": "PRACA",
    "PCA": "PRACA",
    "EST": "ESTRADA",
    "ROD": "RODOVIA",
    "LGO": "LARGO",
    "VL": "VILA",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.upper().split())


def canonical(value: Any) -> Any:
    """The form two values are compared in: folded text, null for empty values, lists as sorted sets."""
    if isinstance(value, str):
        folded = _fold(value)
        return folded or None
    if isinstance(value, dict):
        inner = {k: canonical(v) for k, v in value.items() if k not in VOLATILE_KEYS}
        inner = {k: v for k, v in inner.items() if v is not None}
        return inner or None
    if isinstance(value, list | tuple):
        items = [canonical(v) for v in value]
        items = [v for v in items if v is not None]
        if not items:
            return None
        # The providers do not keep list order (secondary CNAEs, phones, state registrations).
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def partner_identity(partner: Any) -> tuple[str, str]:
    """Partners are the same person or company when name and document match (case, accents, spacing ignored)."""
    if not isinstance(partner, dict):
        return (_fold(str(partner)), "")
    name = next((str(partner[k]) for k in _NAME_KEYS if partner.get(k)), "")
    document = next((str(partner[k]) for k in _DOCUMENT_KEYS if partner.get(k)), "")
    return (_fold(name), document.strip().upper())


def _street_line(street_type: Any, street: Any) -> str | None:
    """Street type and street as one line, abbreviations spelled out: ("Rua", "Lopes Quintas") and (None, "R LOPES
    QUINTAS") are both "RUA LOPES QUINTAS"."""
    words = _fold(f"{street_type or ''} {street or ''}").replace(".", " ").split()
    if not words:
        return None
    words[0] = _STREET_ABBREVIATIONS.get(words[0], words[0])
    if len(words) > 1 and words[1] == words[0]:
        del words[1]  # a type also written inside the street
    return " ".join(words)


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """The report with its street type put in front of the street (providers split the two differently)."""
    address = report.get("address")
    if not isinstance(address, dict):
        return report
    copied = copy.copy(report)
    copied["address"] = {k: v for k, v in address.items() if k != "street_type"}
    parts = [str(part).strip() for part in (address.get("street_type"), address.get("street")) if part]
    copied["address"]["street"] = " ".join(parts) or None
    return copied


def _same_street(old_text: str, new_text: str, *, across_providers: bool) -> bool:
    old, new = _street_line(None, old_text) or "", _street_line(None, new_text) or ""
    if old == new:
        return True
    # One provider may carry no street type at all: "LOPES QUINTAS" is "RUA LOPES QUINTAS" then.
    return across_providers and bool(
        re.search(rf"(^| ){re.escape(old)}$", new) or re.search(rf"(^| ){re.escape(new)}$", old)
    )


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict) and value:
        for key, inner in value.items():
            if key in VOLATILE_KEYS or (not prefix and key in _SKIPPED_AT_TOP):
                continue
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif prefix:
        out[prefix] = value


def _partners(report: dict[str, Any]) -> list[dict[str, Any]]:
    for key in PARTNER_LIST_KEYS:
        partners = report.get(key)
        if isinstance(partners, list):
            return [p if isinstance(p, dict) else {"name": str(p)} for p in partners]
    return []


def _distinct(partners: list[dict[str, Any]]) -> list[tuple[tuple[str, str], dict[str, Any]]]:
    """Partners with their identities; a documented identity once (the same person listed twice is one partner),
    undocumented ones each (two namesakes without documents may be two people)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for partner in partners:
        identity = partner_identity(partner)
        if identity[1] and identity in seen:
            continue
        seen.add(identity)
        out.append((identity, partner))
    return sorted(out, key=lambda item: item[0])


def _match_partners(
    old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(partners in, partners out): the same name and document is the same partner; when one side has no document
    (ReceitaWS publishes none) the same name is."""
    left = _distinct(old)
    arrived = []
    unmatched = []
    for identity, partner in _distinct(new):
        index = next((i for i, (known, _p) in enumerate(left) if known == identity), None)
        if index is None:
            unmatched.append((identity, partner))
        else:
            del left[index]
    for (name, document), partner in unmatched:
        index = next(
            (i for i, ((known, doc), _p) in enumerate(left) if name and known == name and not (document and doc)),
            None,
        )
        if index is None:
            arrived.append(partner)
        else:
            del left[index]
    return arrived, [partner for _identity, partner in left]


def _float32(value: Any) -> float | None:
    try:
        number = float(Decimal(str(value)))
    except (InvalidOperation, ValueError, OverflowError):
        return None
    try:
        return float(struct.unpack("f", struct.pack("f", number))[0])
    except OverflowError:
        return None


def _same(field: str, before: Any, after: Any, *, across_providers: bool) -> bool:
    old, new = canonical(before), canonical(after)
    if old == new or (field == _COUNTRY_KEY and old in _BRAZIL and new in _BRAZIL):
        return True
    if across_providers:
        if old is None or new is None:
            # One provider does not carry the field (minha-receita's e-mail, OpenCNPJ's IBGE code, ...).
            return True
        if field == _CAPITAL_KEY and _float32(old) is not None and _float32(old) == _float32(new):
            return True
    if field == _STREET_KEY and isinstance(old, str) and isinstance(new, str):
        return _same_street(old, new, across_providers=across_providers)
    return False


def _source(report: dict[str, Any]) -> str | None:
    source = report.get("source")
    return source if isinstance(source, str) and source else None


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
    _flatten(_comparable(previous), "", before)
    _flatten(_comparable(current), "", after)
    old_source, new_source = _source(previous), _source(current)
    across = old_source is not None and new_source is not None and old_source != new_source
    changes = [
        # The values as the reports hold them (the street with its type); the comparison is on the canonical form.
        {"field": field, "from": before.get(field), "to": after.get(field)}
        for field in sorted(before.keys() | after.keys())
        if not _same(field, before.get(field), after.get(field), across_providers=across)
    ]
    partners_in, partners_out = _match_partners(_partners(previous), _partners(current))
    return {
        "baseline": False,
        "previous_check_id": previous_check_id,
        "changes": changes,
        "partners_in": partners_in,
        "partners_out": partners_out,
        "changed": bool(changes or partners_in or partners_out),
    }
