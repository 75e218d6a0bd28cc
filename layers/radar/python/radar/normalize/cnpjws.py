"""CNPJ.ws payload (company at the top, the queried establishment nested) to the normalized report."""

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
    parse_datetime,
    parse_decimal,
    partner_kind_from_text,
    role_code,
    size_from_code,
    size_from_text,
    status_from_text,
    yes_no,
)
from radar.report import Partner, Report, StateRegistration

__all__ = ["normalize_cnpjws"]


def _partner(raw: dict[str, Any]) -> Partner:
    role = as_dict(raw.get("qualificacao_socio"))
    country = as_dict(raw.get("pais"))
    return Partner(
        name=clean_text(raw.get("nome")),
        document=mask_document(raw.get("cpf_cnpj_socio")),
        kind=partner_kind_from_text(raw.get("tipo")),
        role=clean_text(role.get("descricao")),
        role_code=role_code(role.get("id")),
        joined_on=parse_date(raw.get("data_entrada")),
        age_range=normalize_age_range(raw.get("faixa_etaria")),
        country=clean_text(country.get("nome")),
    )


def _state_registration(raw: dict[str, Any]) -> StateRegistration | None:
    number = clean_text(raw.get("inscricao_estadual"))
    if number is None:
        return None
    active = raw.get("ativo")
    return StateRegistration(
        number=number,
        state=clean_text(as_dict(raw.get("estado")).get("sigla")),
        active=active if isinstance(active, bool) else None,
        updated_at=parse_datetime(raw.get("atualizado_em")),
    )


def _establishment_cnpj(est: dict[str, Any]) -> str | None:
    if clean_text(est.get("cnpj")):
        return str(est["cnpj"])
    parts = [clean_text(est.get(k)) for k in ("cnpj_raiz", "cnpj_ordem", "cnpj_digito_verificador")]
    return "".join(p for p in parts if p) or None


def normalize_cnpjws(payload: Any, *, expected_cnpj: str | None = None, fetched_at: datetime | None = None) -> Report:
    """Map a CNPJ.ws 200 body (public or commercial API) to a Report."""
    if not isinstance(payload, dict) or not isinstance(payload.get("estabelecimento"), dict):
        raise MalformedPayload("CNPJ.ws body has no 'estabelecimento' object")
    est = payload["estabelecimento"]
    main = as_dict(est.get("atividade_principal"))
    main_cnae = cnae_code(main.get("id") or main.get("subclasse"))
    secondary = cnae_details(
        [
            (a.get("id") or a.get("subclasse"), a.get("descricao"))
            for a in as_list(est.get("atividades_secundarias"))
            if isinstance(a, dict)
        ]
    )
    nature = as_dict(payload.get("natureza_juridica"))
    size = as_dict(payload.get("porte"))
    city = as_dict(est.get("cidade"))
    simples = payload.get("simples")
    simples = simples if isinstance(simples, dict) else None
    fields: dict[str, Any] = {
        "legal_name": clean_text(payload.get("razao_social")),
        "trade_name": clean_text(est.get("nome_fantasia")),
        "status": status_from_text(est.get("situacao_cadastral")),
        "status_date": parse_date(est.get("data_situacao_cadastral")),
        "status_reason": normalize_reason(as_dict(est.get("motivo_situacao_cadastral")).get("descricao")),
        "opened_on": parse_date(est.get("data_inicio_atividade")),
        "head_office": head_office_from_text(est.get("tipo")),
        "main_cnae": main_cnae,
        "main_cnae_description": clean_text(main.get("descricao")) if main_cnae else None,
        "secondary_cnaes": [detail.code for detail in secondary],
        "secondary_cnae_details": secondary,
        "legal_nature": make_legal_nature(nature.get("id"), nature.get("descricao")),
        "size": size_from_code(size.get("id")) or size_from_text(size.get("descricao")),
        "share_capital": parse_decimal(payload.get("capital_social")),
        "address": make_address(
            street_type=est.get("tipo_logradouro"),
            street=est.get("logradouro"),
            number=est.get("numero"),
            complement=est.get("complemento"),
            district=est.get("bairro"),
            zip_code=est.get("cep"),
            city=city.get("nome") or est.get("nome_cidade_exterior"),
            city_ibge_code=city.get("ibge_id"),
            state=as_dict(est.get("estado")).get("sigla"),
            country=as_dict(est.get("pais")).get("nome"),
        ),
        "contact": make_contact(
            [
                f"{est.get('ddd1') or ''}{est.get('telefone1') or ''}",
                f"{est.get('ddd2') or ''}{est.get('telefone2') or ''}",
            ],
            est.get("email"),
        ),
        "simples": yes_no(simples.get("simples")) if simples else None,
        "mei": yes_no(simples.get("mei")) if simples else None,
        "tax_option_dates": make_tax_option_dates(
            simples.get("data_opcao_simples"),
            simples.get("data_exclusao_simples"),
            simples.get("data_opcao_mei"),
            simples.get("data_exclusao_mei"),
        )
        if simples
        else None,
        "partners": [_partner(p) for p in as_list(payload.get("socios")) if isinstance(p, dict)],
        "state_registrations": [
            reg
            for reg in (_state_registration(r) for r in as_list(est.get("inscricoes_estaduais")) if isinstance(r, dict))
            if reg is not None
        ],
        "source_updated_at": parse_datetime(est.get("atualizado_em")) or parse_datetime(payload.get("atualizado_em")),
    }
    return build_report(
        fields,
        source="cnpjws",
        payload_cnpj=_establishment_cnpj(est),
        expected_cnpj=expected_cnpj,
        fetched_at=fetched_at,
    )
