"""BrasilAPI (= minha-receita) payload, one flat object per establishment, to the normalized report.

minha-receita's own answers are the same bodies (BrasilAPI passes them through): its normalizer is this one with
`source="minhareceita"`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from radar.normalize.common import (
    MalformedPayload,
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
    role_code,
    size_from_code,
    size_from_text,
    status_from_code,
    status_from_text,
)
from radar.report import Partner, PartnerKind, Report, ReportSource

__all__ = ["normalize_brasilapi"]

# identificador_de_socio: 1 = legal person, 2 = natural person, 3 = foreigner.
_PARTNER_KINDS: dict[int, PartnerKind] = {1: "PJ", 2: "PF", 3: "FOREIGN"}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _head_office(payload: dict[str, Any]) -> bool | None:
    code = _int(payload.get("identificador_matriz_filial"))
    if code in (1, 2):
        return code == 1
    return head_office_from_text(payload.get("descricao_identificador_matriz_filial"))


def _partner(raw: dict[str, Any]) -> Partner:
    kind_code = _int(raw.get("identificador_de_socio"))
    return Partner(
        name=clean_text(raw.get("nome_socio")),
        document=mask_document(raw.get("cnpj_cpf_do_socio")),
        kind=_PARTNER_KINDS.get(kind_code) if kind_code is not None else None,
        role=clean_text(raw.get("qualificacao_socio")),
        role_code=role_code(raw.get("codigo_qualificacao_socio")),
        joined_on=parse_date(raw.get("data_entrada_sociedade")),
        age_range=normalize_age_range(raw.get("faixa_etaria")),
        country=clean_text(raw.get("pais")),
    )


def normalize_brasilapi(
    payload: Any,
    *,
    expected_cnpj: str | None = None,
    fetched_at: datetime | None = None,
    source_updated_at: datetime | None = None,
    source: ReportSource = "brasilapi",
) -> Report:
    """Map a BrasilAPI / minha-receita 200 body to a Report.

    BrasilAPI has no per-record date; pass `source_updated_at` only when a dump date is known (minha-receita's
    /updated), never by calling another endpoint per check.
    """
    if not isinstance(payload, dict) or not (payload.get("razao_social") or payload.get("cnpj")):
        raise MalformedPayload("BrasilAPI body is not a company record")
    main_cnae = cnae_code(payload.get("cnae_fiscal"))
    secondary = cnae_details(
        [
            (a.get("codigo"), a.get("descricao"))
            for a in as_list(payload.get("cnaes_secundarios"))
            if isinstance(a, dict)
        ]
    )
    abroad = (clean_text(payload.get("uf")) or "").upper() == "EX"
    size_code = _int(payload.get("codigo_porte"))
    fields: dict[str, Any] = {
        "legal_name": clean_text(payload.get("razao_social")),
        "trade_name": clean_text(payload.get("nome_fantasia")),
        "status": status_from_text(payload.get("descricao_situacao_cadastral"))
        or status_from_code(payload.get("situacao_cadastral")),
        "status_date": parse_date(payload.get("data_situacao_cadastral")),
        "status_reason": normalize_reason(payload.get("descricao_motivo_situacao_cadastral")),
        "opened_on": parse_date(payload.get("data_inicio_atividade")),
        "head_office": _head_office(payload),
        "main_cnae": main_cnae,
        "main_cnae_description": clean_text(payload.get("cnae_fiscal_descricao")) if main_cnae else None,
        "secondary_cnaes": [detail.code for detail in secondary],
        "secondary_cnae_details": secondary,
        "legal_nature": make_legal_nature(payload.get("codigo_natureza_juridica"), payload.get("natureza_juridica")),
        "size": (size_from_code(size_code) if size_code else None) or size_from_text(payload.get("porte")),
        # A float32 inside minha-receita: large values arrive already rounded; we keep what was sent, exactly.
        "share_capital": parse_decimal(payload.get("capital_social")),
        "address": make_address(
            street_type=payload.get("descricao_tipo_de_logradouro"),
            street=payload.get("logradouro"),
            number=payload.get("numero"),
            complement=payload.get("complemento"),
            district=payload.get("bairro"),
            zip_code=payload.get("cep"),
            city=payload.get("nome_cidade_no_exterior") if abroad else payload.get("municipio"),
            city_ibge_code=payload.get("codigo_municipio_ibge"),
            state=payload.get("uf"),
            country=payload.get("pais"),
        ),
        "contact": make_contact([payload.get("ddd_telefone_1"), payload.get("ddd_telefone_2")], payload.get("email")),
        "simples": payload.get("opcao_pelo_simples") if isinstance(payload.get("opcao_pelo_simples"), bool) else None,
        "mei": payload.get("opcao_pelo_mei") if isinstance(payload.get("opcao_pelo_mei"), bool) else None,
        "tax_option_dates": make_tax_option_dates(
            payload.get("data_opcao_pelo_simples"),
            payload.get("data_exclusao_do_simples"),
            payload.get("data_opcao_pelo_mei"),
            payload.get("data_exclusao_do_mei"),
        ),
        "partners": [_partner(p) for p in as_list(payload.get("qsa")) if isinstance(p, dict)],
        "state_registrations": [],
        "source_updated_at": source_updated_at,
    }
    return build_report(
        fields,
        source=source,
        payload_cnpj=payload.get("cnpj"),
        expected_cnpj=expected_cnpj,
        fetched_at=fetched_at,
    )
