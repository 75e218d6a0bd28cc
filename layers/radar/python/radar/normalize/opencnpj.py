"""OpenCNPJ payload (every value a string, "" when empty; nature as text only; no IBGE code) to the report."""

from __future__ import annotations

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
    mask_document,
    normalize_age_range,
    normalize_reason,
    parse_date,
    parse_decimal,
    partner_kind_from_text,
    role_code,
    size_from_code,
    size_from_text,
    status_from_text,
    yes_no,
)
from radar.report import LegalNature, Partner, Report

__all__ = ["normalize_opencnpj"]


def _coded(value: Any) -> tuple[Any, Any]:
    """(code, text) of a field OpenCNPJ sends as text ("Presidente") or as {codigo, descricao}."""
    if isinstance(value, dict):
        return value.get("codigo"), value.get("descricao")
    return None, value


def _legal_nature(value: Any) -> LegalNature | None:
    code, text = _coded(value)
    # Text only today: the code comes from the RFB table when the text is one of its entries.
    return make_legal_nature(code, text)


def _partner(raw: dict[str, Any]) -> Partner:
    code, role = _coded(raw.get("qualificacao_socio"))  # text only today
    return Partner(
        name=clean_text(raw.get("nome_socio")),
        document=mask_document(raw.get("cnpj_cpf_socio")),
        kind=partner_kind_from_text(raw.get("identificador_socio")),
        role=clean_text(role),
        role_code=role_code(code),
        joined_on=parse_date(raw.get("data_entrada_sociedade")),
        age_range=normalize_age_range(raw.get("faixa_etaria")),
        country=clean_text(as_dict(raw.get("pais")).get("descricao")),
    )


def _phones(payload: dict[str, Any]) -> list[str]:
    phones = []
    for phone in as_list(payload.get("telefones")):
        if isinstance(phone, dict) and phone.get("is_fax") is not True:
            phones.append(f"{phone.get('ddd') or ''}{phone.get('numero') or ''}")
    return phones


def normalize_opencnpj(payload: Any, *, expected_cnpj: str | None = None, fetched_at: datetime | None = None) -> Report:
    """Map an OpenCNPJ 200 body (the Receita dataset) to a Report."""
    if not isinstance(payload, dict) or not (payload.get("razao_social") or payload.get("cnpj")):
        raise MalformedPayload("OpenCNPJ body is not a company record")
    descriptions: dict[str, Any] = {}
    principal_description = None
    for activity in as_list(payload.get("cnaes")):
        if isinstance(activity, dict) and (code := cnae_code(activity.get("codigo"))):
            descriptions.setdefault(code, activity.get("descricao"))
            if activity.get("is_principal") is True:
                principal_description = activity.get("descricao")
    main_cnae = cnae_code(payload.get("cnae_principal"))
    if main_cnae and principal_description is None:
        principal_description = descriptions.get(main_cnae)
    secondary_pairs = []
    for raw in as_list(payload.get("cnaes_secundarios")):
        code, text = _coded(raw) if isinstance(raw, dict) else (raw, None)
        secondary_pairs.append((code, text or descriptions.get(cnae_code(code) or "")))
    secondary = cnae_details(secondary_pairs)
    abroad = (clean_text(payload.get("uf")) or "").upper() == "EX"
    fields: dict[str, Any] = {
        "legal_name": clean_text(payload.get("razao_social")),
        "trade_name": clean_text(payload.get("nome_fantasia")),
        "status": status_from_text(payload.get("situacao_cadastral")),
        # The raw RF value when it is not a date ("0" seen): parse_date makes it None.
        "status_date": parse_date(payload.get("data_situacao_cadastral")),
        "status_reason": normalize_reason(as_dict(payload.get("motivo_situacao_cadastral")).get("descricao")),
        "opened_on": parse_date(payload.get("data_inicio_atividade")),
        "head_office": head_office_from_text(payload.get("matriz_filial")),
        "main_cnae": main_cnae,
        "main_cnae_description": clean_text(principal_description) if main_cnae else None,
        "secondary_cnaes": [detail.code for detail in secondary],
        "secondary_cnae_details": secondary,
        "legal_nature": _legal_nature(payload.get("natureza_juridica")),
        "size": size_from_text(payload.get("porte_empresa")) or size_from_code(payload.get("porte_empresa")),
        # A string with a decimal comma, exact ("292000,00").
        "share_capital": parse_decimal(payload.get("capital_social")),
        "address": make_address(
            street_type=payload.get("tipo_logradouro"),
            street=payload.get("logradouro"),
            number=payload.get("numero"),
            complement=payload.get("complemento"),
            district=payload.get("bairro"),
            zip_code=payload.get("cep"),
            city=payload.get("nome_cidade_exterior") if abroad else payload.get("municipio"),
            # codigo_municipio is the 4-digit RF/SIAFI code, not the IBGE one.
            city_ibge_code=None,
            state=payload.get("uf"),
            country=as_dict(payload.get("pais")).get("descricao"),
        ),
        "contact": make_contact(_phones(payload), payload.get("email")),
        "simples": yes_no(payload.get("opcao_simples")),
        "mei": yes_no(payload.get("opcao_mei")),
        "tax_option_dates": make_tax_option_dates(
            payload.get("data_opcao_simples"),
            payload.get("data_exclusao_simples"),
            payload.get("data_opcao_mei"),
            payload.get("data_exclusao_mei"),
        ),
        "partners": [_partner(p) for p in as_list(payload.get("QSA") or payload.get("qsa")) if isinstance(p, dict)],
        "state_registrations": [],
        # The dump date is OpenCNPJ's /info, not part of a record.
        "source_updated_at": None,
    }
    return build_report(
        fields,
        source="opencnpj",
        payload_cnpj=payload.get("cnpj"),
        expected_cnpj=expected_cnpj,
        fetched_at=fetched_at,
    )
