"""ReceitaWS payload (flat, human-formatted, dd/mm/yyyy dates, "********" placeholders) to the report."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from radar.normalize.common import (
    MalformedPayload,
    as_dict,
    as_list,
    build_report,
    clean_text,
    cnae_code,
    cnae_details,
    head_office_from_text,
    make_address,
    make_contact,
    make_legal_nature,
    make_tax_option_dates,
    normalize_reason,
    parse_date,
    parse_datetime,
    parse_decimal,
    role_code,
    size_from_text,
    status_from_text,
)
from radar.report import LegalNature, Partner, Report

__all__ = ["normalize_receitaws"]

_NATURE = re.compile(r"^\s*(\d{3})-?(\d)\s*-\s*(.+?)\s*$")
_ROLE = re.compile(r"^\s*(\d+)\s*-\s*(.+?)\s*$")


def _legal_nature(value: Any) -> LegalNature | None:
    text = clean_text(value)
    if text is None:
        return None
    match = _NATURE.match(text)
    if match:
        return make_legal_nature(match.group(1) + match.group(2), match.group(3))
    return make_legal_nature(None, text)


def _partner(raw: dict[str, Any]) -> Partner:
    role_text = clean_text(raw.get("qual"))
    code, role = None, role_text
    if role_text and (match := _ROLE.match(role_text)):
        code, role = role_code(match.group(1)), match.group(2)
    return Partner(
        name=clean_text(raw.get("nome")),
        role=role,
        role_code=code,
        country=clean_text(raw.get("pais_origem")),
    )


def _phones(value: Any) -> list[str]:
    # Free text that may hold two numbers: "(21) 2155-4551/ (21) 2155-4552".
    text = clean_text(value)
    return [part for part in re.split(r"[/;,]", text)] if text else []


def _option(value: Any) -> bool | None:
    optante = as_dict(value).get("optante")
    return optante if isinstance(optante, bool) else None


def normalize_receitaws(
    payload: Any, *, expected_cnpj: str | None = None, fetched_at: datetime | None = None
) -> Report:
    """Map a ReceitaWS body with status OK to a Report (status ERROR bodies are the provider's business)."""
    if not isinstance(payload, dict) or str(payload.get("status", "OK")).upper() != "OK":
        raise MalformedPayload("ReceitaWS body is not an OK company record")
    main_list = [a for a in as_list(payload.get("atividade_principal")) if isinstance(a, dict)]
    main = main_list[0] if main_list else {}
    main_cnae = cnae_code(main.get("code"))
    secondary = cnae_details(
        [(a.get("code"), a.get("text")) for a in as_list(payload.get("atividades_secundarias")) if isinstance(a, dict)]
    )
    partners = [_partner(p) for p in as_list(payload.get("qsa")) if isinstance(p, dict)]
    simples, simei = payload.get("simples"), payload.get("simei")
    fields: dict[str, Any] = {
        "legal_name": clean_text(payload.get("nome")),
        "trade_name": clean_text(payload.get("fantasia")),
        "status": status_from_text(payload.get("situacao")),
        "status_date": parse_date(payload.get("data_situacao")),
        "status_reason": normalize_reason(payload.get("motivo_situacao")),
        "opened_on": parse_date(payload.get("abertura")),
        "head_office": head_office_from_text(payload.get("tipo")),
        "main_cnae": main_cnae,
        "main_cnae_description": clean_text(main.get("text")) if main_cnae else None,
        "secondary_cnaes": [detail.code for detail in secondary],
        "secondary_cnae_details": secondary,
        "legal_nature": _legal_nature(payload.get("natureza_juridica")),
        "size": size_from_text(payload.get("porte")),
        "share_capital": parse_decimal(payload.get("capital_social")),
        "address": make_address(
            street=payload.get("logradouro"),
            number=payload.get("numero"),
            complement=payload.get("complemento"),
            district=payload.get("bairro"),
            zip_code=payload.get("cep"),
            city=payload.get("municipio"),
            state=payload.get("uf"),
        ),
        "contact": make_contact(_phones(payload.get("telefone")), payload.get("email")),
        "simples": _option(simples),
        "mei": _option(simei),
        "tax_option_dates": make_tax_option_dates(
            as_dict(simples).get("data_opcao"),
            as_dict(simples).get("data_exclusao"),
            as_dict(simei).get("data_opcao"),
            as_dict(simei).get("data_exclusao"),
        ),
        "partners": partners,
        "state_registrations": [],
        "source_updated_at": parse_datetime(payload.get("ultima_atualizacao")),
    }
    # ReceitaWS publishes partners without document, kind or entry date.
    reasons = ["partners_without_documents"] if partners else []
    # The 2015 format has no QSA and no Simples/SIMEI blocks at all (absent, not empty).
    if "qsa" not in payload:
        reasons.append("partners_unavailable")
    if "simples" not in payload:
        reasons.append("simples_unavailable")
    return build_report(
        fields,
        source="receitaws",
        payload_cnpj=payload.get("cnpj"),
        expected_cnpj=expected_cnpj,
        fetched_at=fetched_at,
        partial_reasons=reasons,
    )
