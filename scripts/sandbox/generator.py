"""Each provider's rendering of the same generated company (company.py): its shape, key order, types and case.

The content agrees across providers (a provider switch alone changes nothing real); what differs is each one's
format, exactly as providers.md / providers-more.md document: CNAE as an int without the leading zero (minha-receita,
BrasilAPI, CNPJá), capital as a float32 number (minha-receita, BrasilAPI), a decimal string (cnpj.ws, ReceitaWS) or a
string with a decimal comma (OpenCNPJ), Title vs UPPER case, masked vs bare CNPJ, dd/mm/yyyy dates (ReceitaWS), and
the fields each one lacks (no e-mail from minha-receita, no IBGE code from OpenCNPJ, no street type from CNPJá...).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from radar.cnpj import format_cnpj
from scripts.sandbox.company import Cnae, Company, generate_company, title_case

__all__ = [
    "Company",
    "generate_company",
    "jsonb_order",
    "render",
    "render_brasilapi",
    "render_cnpja",
    "render_cnpjws",
    "render_opencnpj",
    "render_receitaws",
]


def jsonb_order(value: Any) -> Any:
    """Postgres jsonb key order, as minha-receita's live bodies come out: shorter keys first, then bytewise."""
    if isinstance(value, dict):
        return {k: jsonb_order(value[k]) for k in sorted(value, key=lambda k: (len(k.encode()), k.encode()))}
    if isinstance(value, list):
        return [jsonb_order(v) for v in value]
    return value


def float32_number(value: Decimal) -> float | int:
    """minha-receita keeps capital_social in a float32: large values lose precision (6983568523.86 -> 6983568384)."""
    single = float(struct.unpack("f", struct.pack("f", float(value)))[0])
    rounded = round(single, 2)
    return int(rounded) if rounded.is_integer() else rounded


def _cnae_parts(code: str) -> dict[str, str]:
    return {
        "divisao": code[:2],
        "grupo": f"{code[:2]}.{code[2]}",
        "classe": f"{code[:2]}.{code[2:4]}-{code[4]}",
        "subclasse": f"{code[:4]}-{code[4]}/{code[5:]}",
    }


def _receitaws_cnae(code: str) -> str:
    return f"{code[:2]}.{code[2:4]}-{code[4]}-{code[5:]}"


def _br_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def render_brasilapi(c: Company) -> dict[str, Any]:
    """minha-receita, and BrasilAPI which passes its 200 body through unchanged: flat, numeric codes, integer CNAEs,
    a float32 capital, jsonb key order, `email` always null (minha-receita's privacy mode), no `descricao_porte`
    (dropped from the struct in 2025, absent from 2026 captures)."""
    city = c.city
    return jsonb_order(
        {
            "uf": city.uf,
            "cep": c.zip_code,
            "qsa": [
                {
                    "pais": None,
                    "nome_socio": p.name,
                    "codigo_pais": None,
                    "faixa_etaria": p.age.brasilapi,
                    "cnpj_cpf_do_socio": p.masked_cpf,
                    "qualificacao_socio": p.role,
                    "codigo_faixa_etaria": p.age.code,
                    "data_entrada_sociedade": p.since.isoformat(),
                    "identificador_de_socio": 2,
                    "cpf_representante_legal": "***000000**",
                    "nome_representante_legal": "",
                    "codigo_qualificacao_socio": p.role_code,
                    "qualificacao_representante_legal": "Não informada",
                    "codigo_qualificacao_representante_legal": 0,
                }
                for p in c.partners
            ],
            "cnpj": c.cnpj,
            "pais": None,
            "email": None,
            "porte": c.size.upper,
            "bairro": c.district,
            "numero": c.number,
            "ddd_fax": "",
            "municipio": city.name,
            "logradouro": c.street[1],
            "cnae_fiscal": int(c.main_cnae.code),
            "codigo_pais": None,
            "complemento": c.complement,
            "codigo_porte": c.size.code,
            "razao_social": c.legal_name,
            "nome_fantasia": c.trade_name,
            "capital_social": float32_number(c.capital),
            "ddd_telefone_1": f"{city.ddd}{c.phone}",
            "ddd_telefone_2": "",
            "opcao_pelo_mei": False,
            "codigo_municipio": int(city.siafi),
            "cnaes_secundarios": [{"codigo": int(cnae.code), "descricao": cnae.text} for cnae in c.secondary_cnaes],
            "natureza_juridica": c.nature.text,
            "regime_tributario": [],
            "situacao_especial": "",
            "opcao_pelo_simples": c.simples,
            "situacao_cadastral": c.status.code,
            "data_opcao_pelo_mei": None,
            "data_exclusao_do_mei": None,
            "cnae_fiscal_descricao": c.main_cnae.text,
            "codigo_municipio_ibge": city.ibge,
            "data_inicio_atividade": c.opened.isoformat(),
            "data_situacao_especial": None,
            "data_opcao_pelo_simples": _iso(c.simples_since),
            "data_situacao_cadastral": c.status_date.isoformat(),
            "nome_cidade_no_exterior": "",
            "codigo_natureza_juridica": int(c.nature.code),
            "data_exclusao_do_simples": None,
            "motivo_situacao_cadastral": c.status.reason_code,
            "ente_federativo_responsavel": "",
            "identificador_matriz_filial": 1 if c.head_office else 2,
            "qualificacao_do_responsavel": c.responsible[0],
            "descricao_situacao_cadastral": c.status.name,
            "descricao_tipo_de_logradouro": c.street[0],
            "descricao_motivo_situacao_cadastral": c.status.reason,
            "descricao_identificador_matriz_filial": "MATRIZ" if c.head_office else "FILIAL",
        }
    )


_COUNTRY = {"id": "1058", "iso2": "BR", "iso3": "BRA", "nome": "Brasil", "comex_id": "105"}


def render_cnpjws(c: Company) -> dict[str, Any]:
    """CNPJ.ws: the company at the top, the queried establishment nested; Title-case texts, string codes."""
    city = c.city
    updated = c.record_updated["cnpjws"]
    state = {"id": city.cnpjws_state_id, "nome": city.state_name, "sigla": city.uf, "ibge_id": city.state_ibge}

    def activity(cnae: Cnae) -> dict[str, Any]:
        return {"id": cnae.code, "secao": cnae.section, **_cnae_parts(cnae.code), "descricao": cnae.text}

    return {
        "cnpj_raiz": c.cnpj[:8],
        "razao_social": c.legal_name,
        "capital_social": f"{c.capital:.2f}",
        "responsavel_federativo": "",
        "atualizado_em": updated,
        "porte": {"id": c.size.cnpjws_id, "descricao": c.size.cnpjws_text},
        "natureza_juridica": {"id": c.nature.code, "descricao": c.nature.text},
        "qualificacao_do_responsavel": {"id": c.responsible[0], "descricao": f"{c.responsible[1]} "},
        "socios": [
            {
                "cpf_cnpj_socio": p.masked_cpf,
                "nome": p.name,
                "tipo": "Pessoa Física",
                "data_entrada": p.since.isoformat(),
                "cpf_representante_legal": "***000000**",
                "nome_representante": None,
                "faixa_etaria": p.age.plain,
                "atualizado_em": updated,
                "pais_id": "1058",
                "qualificacao_socio": {"id": p.role_code, "descricao": f"{p.role} "},
                "qualificacao_representante": None,
                "pais": dict(_COUNTRY),
            }
            for p in c.partners
        ],
        "simples": {
            "simples": "Sim" if c.simples else "Não",
            "data_opcao_simples": _iso(c.simples_since),
            "data_exclusao_simples": None,
            "mei": "Não",
            "data_opcao_mei": None,
            "data_exclusao_mei": None,
            "atualizado_em": updated,
        },
        "estabelecimento": {
            "cnpj": c.cnpj,
            "atividades_secundarias": [activity(cnae) for cnae in c.secondary_cnaes],
            "cnpj_raiz": c.cnpj[:8],
            "cnpj_ordem": c.cnpj[8:12],
            "cnpj_digito_verificador": c.cnpj[12:],
            "tipo": "Matriz" if c.head_office else "Filial",
            "nome_fantasia": c.trade_name or None,
            "situacao_cadastral": c.status.name.title(),
            "data_situacao_cadastral": c.status_date.isoformat(),
            "data_inicio_atividade": c.opened.isoformat(),
            "nome_cidade_exterior": None,
            "tipo_logradouro": c.street[0],
            "logradouro": c.street[1],
            "numero": c.number,
            "complemento": c.complement or None,
            "bairro": c.district,
            "cep": c.zip_code,
            "ddd1": city.ddd,
            "telefone1": c.phone,
            "ddd2": None,
            "telefone2": None,
            "ddd_fax": None,
            "fax": None,
            "email": c.email,
            "situacao_especial": None,
            "data_situacao_especial": None,
            "atualizado_em": updated,
            "atividade_principal": activity(c.main_cnae),
            "pais": dict(_COUNTRY),
            "estado": state,
            "cidade": {"id": city.ibge % 10000, "nome": city.display, "ibge_id": city.ibge, "siafi_id": city.siafi},
            "motivo_situacao_cadastral": (
                None
                if c.status.reason_code == 0
                else {"id": c.status.reason_code, "descricao": c.status.reason.capitalize()}
            ),
            "inscricoes_estaduais": [
                {"inscricao_estadual": r.number, "ativo": True, "atualizado_em": updated, "estado": state}
                for r in c.registrations
            ],
        },
    }


def _receitaws_phone(ddd: str, phone: str) -> str:
    return f"({ddd}) {phone[:-4]}-{phone[-4:]}"


def render_receitaws(c: Company) -> dict[str, Any]:
    """ReceitaWS: flat and human-formatted (masked CNPJ and CEP, dd/mm/yyyy dates), status OK."""
    city = c.city
    updated = c.record_updated["receitaws"]
    simples = {
        "optante": c.simples,
        "data_opcao": _br_date(c.simples_since) or None,
        "data_exclusao": None,
        "ultima_atualizacao": updated,
    }
    return {
        "abertura": _br_date(c.opened),
        "situacao": c.status.name,
        "tipo": "MATRIZ" if c.head_office else "FILIAL",
        "nome": c.legal_name,
        "fantasia": c.trade_name,
        "porte": c.size.upper,
        "natureza_juridica": f"{c.nature.code[:3]}-{c.nature.code[3]} - {c.nature.text}",
        "atividade_principal": [{"code": _receitaws_cnae(c.main_cnae.code), "text": c.main_cnae.text}],
        "atividades_secundarias": [{"code": _receitaws_cnae(n.code), "text": n.text} for n in c.secondary_cnaes],
        "qsa": [{"nome": p.name, "qual": f"{p.role_code}-{p.role}"} for p in c.partners],
        "logradouro": f"{'R' if c.street[0] == 'RUA' else 'AV'} {c.street[1]}",
        "numero": c.number,
        "municipio": city.name,
        "bairro": c.district,
        "uf": city.uf,
        "cep": f"{c.zip_code[:2]}.{c.zip_code[2:5]}-{c.zip_code[5:]}",
        "telefone": _receitaws_phone(city.ddd, c.phone),
        "data_situacao": _br_date(c.status_date),
        "cnpj": format_cnpj(c.cnpj),
        "ultima_atualizacao": updated,
        "status": "OK",
        "complemento": c.complement,
        "email": c.email or "",
        "efr": "",
        "motivo_situacao": "" if c.status.reason_code == 0 else c.status.reason,
        "situacao_especial": "",
        "data_situacao_especial": "",
        "capital_social": f"{c.capital:.2f}",
        "simples": simples,
        "simei": {"optante": False, "data_opcao": None, "data_exclusao": None, "ultima_atualizacao": updated},
        "extra": {},
        "billing": {"free": True, "database": True},
    }


def render_opencnpj(c: Company) -> dict[str, Any]:
    """OpenCNPJ (JsonProjection.cs): every value a string ("" when empty), Title-case status, the 7-digit CNAE with its
    zero, capital with a decimal comma, nature as text only, the SIAFI code but no IBGE code, e-mail UPPER."""
    city = c.city
    empty_country = {"codigo": "", "descricao": ""}
    return {
        "cnpj": c.cnpj,
        "razao_social": c.legal_name,
        "nome_fantasia": c.trade_name,
        "situacao_cadastral": c.status.name.title(),
        "data_situacao_cadastral": c.status_date.isoformat(),
        "matriz_filial": "Matriz" if c.head_office else "Filial",
        "data_inicio_atividade": c.opened.isoformat(),
        "cnae_principal": c.main_cnae.code,
        "cnaes_secundarios": [cnae.code for cnae in c.secondary_cnaes],
        "cnaes": [
            {"codigo": cnae.code, "descricao": cnae.text, "is_principal": cnae is c.main_cnae}
            for cnae in (c.main_cnae, *c.secondary_cnaes)
        ],
        "natureza_juridica": c.nature.text,
        "tipo_logradouro": c.street[0],
        "logradouro": c.street[1],
        "numero": c.number,
        "complemento": c.complement,
        "bairro": c.district,
        "cep": c.zip_code,
        "uf": city.uf,
        "municipio": city.name,
        "codigo_municipio": city.siafi,
        "email": (c.email or "").upper(),
        "telefones": [{"ddd": city.ddd, "numero": c.phone, "is_fax": False}],
        "capital_social": f"{c.capital:.2f}".replace(".", ","),
        "qualificacao_responsavel": {"codigo": f"{c.responsible[0]:02d}", "descricao": c.responsible[1]},
        "ente_federativo": "",
        "porte_empresa": c.size.opencnpj_text,
        "opcao_simples": "S" if c.simples else "N",
        "data_opcao_simples": _iso(c.simples_since) or "",
        "data_exclusao_simples": "",
        "opcao_mei": "N",
        "data_opcao_mei": "",
        "data_exclusao_mei": "",
        "motivo_situacao_cadastral": {"codigo": f"{c.status.reason_code:02d}", "descricao": c.status.reason},
        "nome_cidade_exterior": "",
        "codigo_pais": "",
        "pais": dict(empty_country),
        "situacao_especial": "",
        "data_situacao_especial": "",
        "QSA": [
            {
                "nome_socio": p.name,
                "cnpj_cpf_socio": p.masked_cpf,
                "qualificacao_socio": p.role,
                "data_entrada_sociedade": p.since.isoformat(),
                "identificador_socio": "Pessoa Física",
                "codigo_pais": "",
                "pais": dict(empty_country),
                "representante_legal": "***000000**",
                "nome_representante": "",
                "qualificacao_representante": {"codigo": "00", "descricao": "Não informada"},
                "faixa_etaria": p.age.plain,
            }
            for p in c.partners
        ],
    }


def _company_id(root: str) -> int | str:
    # CNPJá's company.id is the root as an integer; an alphanumeric root cannot be one ([unverified]: kept a string).
    return int(root) if root.isdigit() else root


def render_cnpja(c: Company) -> dict[str, Any]:
    """CNPJá open (`/office/{taxId}`), in the sample's key order: Title-case people and places, integer codes (CNAE
    without its leading zero), equity as a float64, `reason` only when not ATIVA, `alias` only when there is one,
    the street type inside `street`, IBGE municipality, phones/e-mails as lists, state registrations."""
    city = c.city
    office: dict[str, Any] = {"updated": c.record_updated["cnpja"], "taxId": c.cnpj}
    if c.trade_name:
        office["alias"] = title_case(c.trade_name)
    office |= {
        "founded": c.opened.isoformat(),
        "head": c.head_office,
        "company": {
            "members": [
                {
                    "since": p.since.isoformat(),
                    "person": {
                        "id": p.person_id,
                        "type": "NATURAL",
                        "name": title_case(p.name),
                        "taxId": p.masked_cpf,
                        "age": p.age.cnpja,
                    },
                    "role": {"id": p.role_code, "text": p.role},
                }
                for p in c.partners
            ],
            "id": _company_id(c.cnpj[:8]),
            "name": c.legal_name,
            "equity": float(c.capital),
            "nature": {"id": int(c.nature.code), "text": c.nature.text},
            "size": {"id": c.size.code, "acronym": c.size.acronym, "text": c.size.cnpja_text},
            "simples": {"optant": c.simples, "since": _iso(c.simples_since)},
            "simei": {"optant": False, "since": None},
        },
        "statusDate": c.status_date.isoformat(),
        "status": {"id": c.status.code, "text": c.status.name.title()},
    }
    if c.status.code != 2:
        office["reason"] = {"id": c.status.reason_code, "text": c.status.reason_text}
    office |= {
        "address": {
            "municipality": city.ibge,
            "street": title_case(f"{c.street[0]} {c.street[1]}"),
            "number": c.number,
            "district": title_case(c.district),
            "city": city.display,
            "state": city.uf,
            "details": title_case(c.complement) if c.complement else None,
            "zip": c.zip_code,
            "country": {"id": 76, "name": "Brasil"},
        },
        "mainActivity": {"id": int(c.main_cnae.code), "text": c.main_cnae.text},
        "phones": [{"type": "MOBILE" if c.phone_is_mobile else "LANDLINE", "area": city.ddd, "number": c.phone}],
        "emails": (
            [{"ownership": "CORPORATE", "address": c.email, "domain": c.email.split("@", 1)[1]}] if c.email else []
        ),
        "sideActivities": [{"id": int(cnae.code), "text": cnae.text} for cnae in c.secondary_cnaes],
        "registrations": [
            {
                "number": r.number,
                "state": r.state,
                "enabled": True,
                "statusDate": r.since.isoformat(),
                "status": {"id": 1, "text": "Sem restrição"},
                "type": {"id": 1, "text": "IE Normal"},
            }
            for r in c.registrations
        ],
        "suframa": [],
    }
    return office


_RENDERERS: dict[str, Callable[[Company], dict[str, Any]]] = {
    "cnpjws": render_cnpjws,
    "brasilapi": render_brasilapi,
    "receitaws": render_receitaws,
    "minhareceita": render_brasilapi,  # BrasilAPI's 200 is minha-receita's, byte for byte
    "opencnpj": render_opencnpj,
    "cnpja": render_cnpja,
}


def render(provider: str, cnpj: str, as_of: date | None = None) -> dict[str, Any]:
    return _RENDERERS[provider](generate_company(cnpj, as_of))
