"""Plausible company records for CNPJs without a fixture: deterministic per CNPJ, rendered in each provider's shape."""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from radar.cnpj import format_cnpj

__all__ = ["Company", "generate_company", "render", "render_brasilapi", "render_cnpjws", "render_receitaws"]

# (status, BrasilAPI code, weight, reason code, reason text)
_STATUSES = (
    ("ATIVA", 2, 85, 0, "SEM MOTIVO"),
    ("BAIXADA", 8, 7, 1, "EXTINCAO POR ENCERRAMENTO LIQUIDACAO VOLUNTARIA"),
    ("INAPTA", 4, 5, 63, "OMISSAO DE DECLARACOES"),
    ("SUSPENSA", 3, 3, 60, "INCONSISTENCIA CADASTRAL"),
)
# (code, description, weight, has partners)
_NATURES = (
    ("2062", "Sociedade Empresária Limitada", 70, True),
    ("2054", "Sociedade Anônima Fechada", 10, True),
    ("2135", "Empresário (Individual)", 10, False),
    ("3999", "Associação Privada", 10, True),
)
# (BrasilAPI code, UPPER text, cnpj.ws id, cnpj.ws text)
_SIZES = (
    (1, "MICRO EMPRESA", "01", "Micro Empresa"),
    (3, "EMPRESA DE PEQUENO PORTE", "03", "Empresa de Pequeno Porte"),
    (5, "DEMAIS", "05", "Demais"),
)
# (subclass code, section, description)
_CNAES = (
    ("6201501", "J", "Desenvolvimento de programas de computador sob encomenda"),
    ("6204000", "J", "Consultoria em tecnologia da informação"),
    ("4711302", "G", "Comércio varejista de mercadorias em geral, com predominância de produtos alimentícios"),
    ("4639701", "G", "Comércio atacadista de produtos alimentícios em geral"),
    ("5611201", "I", "Restaurantes e similares"),
    ("7020400", "M", "Atividades de consultoria em gestão empresarial, exceto consultoria técnica específica"),
    ("4930202", "H", "Transporte rodoviário de carga, exceto produtos perigosos, interestadual e internacional"),
    ("8599699", "P", "Outras atividades de ensino não especificadas anteriormente"),
    ("1091101", "C", "Fabricação de produtos de panificação industrial"),
    ("4120400", "F", "Construção de edifícios"),
)
# (city, uf, IBGE code, SIAFI code, state name, state IBGE id, cnpj.ws state id, DDD)
_CITIES = (
    ("SAO PAULO", "SP", 3550308, "7107", "São Paulo", 35, 26, "11"),
    ("RIO DE JANEIRO", "RJ", 3304557, "6001", "Rio de Janeiro", 33, 19, "21"),
    ("BELO HORIZONTE", "MG", 3106200, "4123", "Minas Gerais", 31, 11, "31"),
    ("CURITIBA", "PR", 4106902, "7535", "Paraná", 41, 16, "41"),
    ("PORTO ALEGRE", "RS", 4314902, "8801", "Rio Grande do Sul", 43, 21, "51"),
    ("SALVADOR", "BA", 2927408, "3849", "Bahia", 29, 5, "71"),
    ("RECIFE", "PE", 2611606, "2531", "Pernambuco", 26, 17, "81"),
    ("CARIACICA", "ES", 3201308, "5625", "Espírito Santo", 32, 8, "27"),
)
_NAME_WORDS = ("ALFA", "BRASIL", "NOVA", "PRIMA", "VERDE", "ATLANTICO", "CENTRAL", "UNIAO", "AURORA", "HORIZONTE")
_NAME_TRADES = ("COMERCIO DE ALIMENTOS", "TECNOLOGIA", "SERVICOS", "LOGISTICA", "CONSTRUCOES", "EDUCACAO")
_STREETS = (("RUA", "DAS FLORES"), ("AVENIDA", "BRASIL"), ("RUA", "SANTA FE"), ("AVENIDA", "PAULISTA"))
_DISTRICTS = ("CENTRO", "BELA VISTA", "JARDIM AMERICA", "VILA NOVA")
# Obviously fictitious people: the sandbox must never look like it leaks a real person's data.
_FIRST_NAMES = ("FULANO", "BELTRANA", "CICRANO", "MARIA FICTICIA", "JOAO EXEMPLO")
_LAST_NAMES = ("DE TAL", "DA SILVA TESTE", "SANDBOX", "EXEMPLAR")
# (BrasilAPI code, BrasilAPI text, cnpj.ws text)
_AGE_RANGES = (
    (4, "Entre 31 a 40 anos", "31 a 40 anos"),
    (5, "Entre 41 a 50 anos", "41 a 50 anos"),
    (6, "Entre 51 a 60 anos", "51 a 60 anos"),
)


@dataclass(frozen=True)
class Partner:
    name: str
    masked_cpf: str
    qualification_code: int
    qualification: str
    since: date
    age_code: int
    age_text_brasilapi: str
    age_text_cnpjws: str


@dataclass(frozen=True)
class Company:
    """One establishment, provider-neutral; every renderer reads the same record."""

    cnpj: str
    legal_name: str
    trade_name: str
    status: str
    status_code: int
    status_date: date
    reason_code: int
    reason: str
    opened: date
    nature_code: str
    nature: str
    size: tuple[int, str, str, str]
    capital: Decimal
    main_cnae: tuple[str, str, str]
    secondary_cnaes: tuple[tuple[str, str, str], ...]
    city: tuple[str, str, int, str, str, int, int, str]
    street: tuple[str, str]
    number: str
    district: str
    zip_code: str
    phone: str
    email: str | None
    simples: bool
    simples_since: date | None
    partners: tuple[Partner, ...] = field(default_factory=tuple)
    updated_at: str = "2026-10-01T03:00:00.000Z"

    @property
    def head_office(self) -> bool:
        return self.cnpj[8:12] == "0001"


def _weighted(rng: random.Random, options: tuple[Any, ...], weight_index: int) -> Any:
    return rng.choices(options, weights=[option[weight_index] for option in options])[0]


def generate_company(cnpj: str) -> Company:
    """The same CNPJ always yields the same company (seeded by its hash); mostly ATIVA."""
    rng = random.Random(int(hashlib.sha256(cnpj.encode()).hexdigest()[:16], 16))
    status, status_code, _, reason_code, reason = _weighted(rng, _STATUSES, 2)
    nature_code, nature, _, has_partners = _weighted(rng, _NATURES, 2)
    opened = date(1975, 1, 1) + timedelta(days=rng.randrange(0, 18000))
    status_date = opened if status == "ATIVA" else opened + timedelta(days=rng.randrange(30, 3000))
    size = rng.choice(_SIZES)
    words = rng.sample(_NAME_WORDS, 2)
    trade = rng.choice(_NAME_TRADES)
    suffix = {"2062": "LTDA", "2054": "S.A.", "3999": "", "2135": ""}[nature_code]
    if nature_code == "2135":
        legal_name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)} {rng.randrange(10**10, 10**11)}"
    else:
        legal_name = " ".join(part for part in (words[0], words[1], trade, suffix) if part)
    city = rng.choice(_CITIES)
    cnaes = rng.sample(_CNAES, 1 + rng.randrange(0, 4))
    partners: list[Partner] = []
    if has_partners:
        for _ in range(1 + rng.randrange(0, 3)):
            age_code, age_b, age_c = rng.choice(_AGE_RANGES)
            qual_code, qual = (10, "Diretor") if nature_code == "2054" else (49, "Sócio-Administrador")
            partners.append(
                Partner(
                    name=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                    masked_cpf=f"***{rng.randrange(0, 10**6):06d}**",
                    qualification_code=qual_code,
                    qualification=qual,
                    since=opened + timedelta(days=rng.randrange(0, 2000)),
                    age_code=age_code,
                    age_text_brasilapi=age_b,
                    age_text_cnpjws=age_c,
                )
            )
    simples = size[0] in (1, 3) and rng.random() < 0.7
    slug = "".join(words).lower()
    return Company(
        cnpj=cnpj,
        legal_name=legal_name,
        trade_name="" if rng.random() < 0.3 else f"{words[0]} {trade.split()[0]}",
        status=status,
        status_code=status_code,
        status_date=status_date,
        reason_code=reason_code,
        reason=reason,
        opened=opened,
        nature_code=nature_code,
        nature=nature,
        size=size,
        capital=Decimal(rng.randrange(100_000, 1_000_000_000)) / 100,
        main_cnae=cnaes[0],
        secondary_cnaes=tuple(cnaes[1:]),
        city=city,
        street=rng.choice(_STREETS),
        number=str(rng.randrange(1, 3000)),
        district=rng.choice(_DISTRICTS),
        zip_code=f"{rng.randrange(10_000_000, 99_999_999)}",
        phone=f"{rng.randrange(20_000_000, 39_999_999)}",
        email=None if nature_code == "2135" else f"contato@{slug}.example.com.br",
        simples=simples,
        simples_since=opened + timedelta(days=rng.randrange(0, 400)) if simples else None,
        partners=tuple(partners),
    )


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
    """BrasilAPI / minha-receita: flat, numeric codes, integer CNAEs, capital as a JSON number."""
    city, uf, ibge, siafi, *_ = c.city
    return {
        "uf": uf,
        "cep": c.zip_code,
        "qsa": [
            {
                "pais": None,
                "nome_socio": p.name,
                "codigo_pais": None,
                "faixa_etaria": p.age_text_brasilapi,
                "cnpj_cpf_do_socio": p.masked_cpf,
                "qualificacao_socio": p.qualification,
                "codigo_faixa_etaria": p.age_code,
                "data_entrada_sociedade": p.since.isoformat(),
                "identificador_de_socio": 2,
                "cpf_representante_legal": "***000000**",
                "nome_representante_legal": "",
                "codigo_qualificacao_socio": p.qualification_code,
                "qualificacao_representante_legal": "Não informada",
                "codigo_qualificacao_representante_legal": 0,
            }
            for p in c.partners
        ],
        "cnpj": c.cnpj,
        "pais": None,
        "email": c.email,
        "porte": c.size[1],
        "bairro": c.district,
        "numero": c.number,
        "ddd_fax": "",
        "municipio": city,
        "logradouro": c.street[1],
        "cnae_fiscal": int(c.main_cnae[0]),
        "codigo_pais": None,
        "complemento": "",
        "codigo_porte": c.size[0],
        "razao_social": c.legal_name,
        "nome_fantasia": c.trade_name,
        "capital_social": float(c.capital),
        "ddd_telefone_1": f"{c.city[7]}{c.phone}",
        "ddd_telefone_2": "",
        "opcao_pelo_mei": False,
        "descricao_porte": "",
        "codigo_municipio": int(siafi),
        "cnaes_secundarios": [{"codigo": int(code), "descricao": text} for code, _, text in c.secondary_cnaes],
        "natureza_juridica": c.nature,
        "regime_tributario": [],
        "situacao_especial": "",
        "opcao_pelo_simples": c.simples,
        "situacao_cadastral": c.status_code,
        "data_opcao_pelo_mei": None,
        "data_exclusao_do_mei": None,
        "cnae_fiscal_descricao": c.main_cnae[2],
        "codigo_municipio_ibge": ibge,
        "data_inicio_atividade": c.opened.isoformat(),
        "data_situacao_especial": None,
        "data_opcao_pelo_simples": _iso(c.simples_since),
        "data_situacao_cadastral": c.status_date.isoformat(),
        "nome_cidade_no_exterior": "",
        "codigo_natureza_juridica": int(c.nature_code),
        "data_exclusao_do_simples": None,
        "motivo_situacao_cadastral": c.reason_code,
        "ente_federativo_responsavel": "",
        "identificador_matriz_filial": 1 if c.head_office else 2,
        "qualificacao_do_responsavel": 49 if c.partners else 50,
        "descricao_situacao_cadastral": c.status,
        "descricao_tipo_de_logradouro": c.street[0],
        "descricao_motivo_situacao_cadastral": c.reason,
        "descricao_identificador_matriz_filial": "MATRIZ" if c.head_office else "FILIAL",
    }


_COUNTRY = {"id": "1058", "iso2": "BR", "iso3": "BRA", "nome": "Brasil", "comex_id": "105"}


def render_cnpjws(c: Company) -> dict[str, Any]:
    """CNPJ.ws: the company at the top, the queried establishment nested; Title-case texts, string codes."""
    city, uf, ibge, siafi, state_name, state_ibge, state_id, ddd = c.city
    state = {"id": state_id, "nome": state_name, "sigla": uf, "ibge_id": state_ibge}
    qualification = (
        {"id": c.partners[0].qualification_code, "descricao": f"{c.partners[0].qualification} "} if c.partners else None
    )

    def activity(cnae: tuple[str, str, str]) -> dict[str, Any]:
        return {"id": cnae[0], "secao": cnae[1], **_cnae_parts(cnae[0]), "descricao": cnae[2]}

    return {
        "cnpj_raiz": c.cnpj[:8],
        "razao_social": c.legal_name,
        "capital_social": f"{c.capital:.2f}",
        "responsavel_federativo": "",
        "atualizado_em": c.updated_at,
        "porte": {"id": c.size[2], "descricao": c.size[3]},
        "natureza_juridica": {"id": c.nature_code, "descricao": c.nature},
        "qualificacao_do_responsavel": qualification,
        "socios": [
            {
                "cpf_cnpj_socio": p.masked_cpf,
                "nome": p.name,
                "tipo": "Pessoa Física",
                "data_entrada": p.since.isoformat(),
                "cpf_representante_legal": "***000000**",
                "nome_representante": None,
                "faixa_etaria": p.age_text_cnpjws,
                "atualizado_em": c.updated_at,
                "pais_id": "1058",
                "qualificacao_socio": {"id": p.qualification_code, "descricao": f"{p.qualification} "},
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
            "atualizado_em": c.updated_at,
        },
        "estabelecimento": {
            "cnpj": c.cnpj,
            "atividades_secundarias": [activity(cnae) for cnae in c.secondary_cnaes],
            "cnpj_raiz": c.cnpj[:8],
            "cnpj_ordem": c.cnpj[8:12],
            "cnpj_digito_verificador": c.cnpj[12:],
            "tipo": "Matriz" if c.head_office else "Filial",
            "nome_fantasia": c.trade_name or None,
            "situacao_cadastral": c.status.title(),
            "data_situacao_cadastral": c.status_date.isoformat(),
            "data_inicio_atividade": c.opened.isoformat(),
            "nome_cidade_exterior": None,
            "tipo_logradouro": c.street[0],
            "logradouro": c.street[1],
            "numero": c.number,
            "complemento": None,
            "bairro": c.district,
            "cep": c.zip_code,
            "ddd1": ddd,
            "telefone1": c.phone,
            "ddd2": None,
            "telefone2": None,
            "ddd_fax": None,
            "fax": None,
            "email": c.email,
            "situacao_especial": None,
            "data_situacao_especial": None,
            "atualizado_em": c.updated_at,
            "atividade_principal": activity(c.main_cnae),
            "pais": dict(_COUNTRY),
            "estado": state,
            "cidade": {"id": ibge % 10000, "nome": city.title(), "ibge_id": ibge, "siafi_id": siafi},
            "motivo_situacao_cadastral": (
                None if c.reason_code == 0 else {"id": c.reason_code, "descricao": c.reason.capitalize()}
            ),
            "inscricoes_estaduais": [],
        },
    }


def render_receitaws(c: Company) -> dict[str, Any]:
    """ReceitaWS: flat and human-formatted (masked CNPJ and CEP, dd/mm/yyyy dates), status OK."""
    city, uf, *_ = c.city
    ddd = c.city[7]
    simples = {
        "optante": c.simples,
        "data_opcao": _br_date(c.simples_since) or None,
        "data_exclusao": None,
        "ultima_atualizacao": c.updated_at,
    }
    return {
        "abertura": _br_date(c.opened),
        "situacao": c.status,
        "tipo": "MATRIZ" if c.head_office else "FILIAL",
        "nome": c.legal_name,
        "fantasia": c.trade_name,
        "porte": c.size[1],
        "natureza_juridica": f"{c.nature_code[:3]}-{c.nature_code[3]} - {c.nature}",
        "atividade_principal": [{"code": _receitaws_cnae(c.main_cnae[0]), "text": c.main_cnae[2]}],
        "atividades_secundarias": [
            {"code": _receitaws_cnae(code), "text": text} for code, _, text in c.secondary_cnaes
        ],
        "qsa": [{"nome": p.name, "qual": f"{p.qualification_code}-{p.qualification}"} for p in c.partners],
        "logradouro": f"{'R' if c.street[0] == 'RUA' else 'AV'} {c.street[1]}",
        "numero": c.number,
        "municipio": city,
        "bairro": c.district,
        "uf": uf,
        "cep": f"{c.zip_code[:2]}.{c.zip_code[2:5]}-{c.zip_code[5:]}",
        "telefone": f"({ddd}) {c.phone[:4]}-{c.phone[4:]}",
        "data_situacao": _br_date(c.status_date),
        "cnpj": format_cnpj(c.cnpj),
        "ultima_atualizacao": c.updated_at,
        "status": "OK",
        "complemento": "",
        "email": c.email or "",
        "efr": "",
        "motivo_situacao": "" if c.reason_code == 0 else c.reason,
        "situacao_especial": "",
        "data_situacao_especial": "",
        "capital_social": f"{c.capital:.2f}",
        "simples": simples,
        "simei": {"optante": False, "data_opcao": None, "data_exclusao": None, "ultima_atualizacao": c.updated_at},
        "extra": {},
        "billing": {"free": True, "database": True},
    }


_RENDERERS = {"cnpjws": render_cnpjws, "brasilapi": render_brasilapi, "receitaws": render_receitaws}


def render(provider: str, cnpj: str) -> dict[str, Any]:
    return _RENDERERS[provider](generate_company(cnpj))
