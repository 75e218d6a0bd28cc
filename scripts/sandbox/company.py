"""One plausible company per CNPJ, provider-neutral: deterministic (seeded by the CNPJ), dated relative to an `as_of`
day, and read by every provider's renderer in generator.py, so all six describe the same company."""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

__all__ = [
    "AgeRange",
    "City",
    "Cnae",
    "Company",
    "Nature",
    "Partner",
    "Registration",
    "Size",
    "Status",
    "generate_company",
    "title_case",
    "today",
]


@dataclass(frozen=True)
class Status:
    name: str  # RF text, UPPER: ATIVA, BAIXADA, ...
    code: int  # RF code: 1 NULA, 2 ATIVA, 3 SUSPENSA, 4 INAPTA, 8 BAIXADA
    weight: int
    reason_code: int
    reason: str  # RF text, UPPER without accents (minha-receita, OpenCNPJ)
    reason_text: str  # the accented, capitalized text CNPJá shows


@dataclass(frozen=True)
class Nature:
    code: str  # "2062"
    text: str
    weight: int
    suffix: str  # appended to the legal name
    partner_role: tuple[int, str] | None  # the partners' qualification; None: a sole proprietor, no QSA


@dataclass(frozen=True)
class Size:
    code: int  # minha-receita codigo_porte / CNPJá size.id
    upper: str  # minha-receita porte, ReceitaWS porte
    cnpjws_id: str
    cnpjws_text: str
    opencnpj_text: str
    acronym: str  # CNPJá
    cnpja_text: str


@dataclass(frozen=True)
class Cnae:
    code: str  # 7 digits, leading zero kept ("0220903"); CNPJá and minha-receita send an int and lose it
    section: str
    text: str


@dataclass(frozen=True)
class City:
    name: str  # RF: UPPER, no accents
    display: str  # accented, as cnpj.ws and CNPJá write it
    uf: str
    ibge: int
    siafi: str  # the 4-digit RF/SIAFI municipality code
    state_name: str
    state_ibge: int
    cnpjws_state_id: int
    ddd: str


@dataclass(frozen=True)
class AgeRange:
    code: int  # minha-receita codigo_faixa_etaria
    brasilapi: str  # "Entre 41 a 50 anos"
    plain: str  # cnpj.ws and OpenCNPJ: "41 a 50 anos"
    cnpja: str  # "41-50"


@dataclass(frozen=True)
class Partner:
    name: str  # UPPER, as in the RF dump
    masked_cpf: str
    role_code: int
    role: str
    since: date
    age: AgeRange
    person_id: str  # CNPJá's person uuid


@dataclass(frozen=True)
class Registration:
    """A state registration (inscrição estadual): cnpj.ws and CNPJá carry them, the RF dump does not."""

    number: str
    state: str
    since: date


_STATUSES = (
    Status("ATIVA", 2, 85, 0, "SEM MOTIVO", "Sem Motivo"),
    Status(
        "BAIXADA",
        8,
        7,
        1,
        "EXTINCAO POR ENCERRAMENTO LIQUIDACAO VOLUNTARIA",
        "Extinção Por Encerramento Liquidação Voluntária",
    ),
    Status("INAPTA", 4, 5, 63, "OMISSAO DE DECLARACOES", "Omissão de Declarações"),
    Status("SUSPENSA", 3, 3, 60, "INCONSISTENCIA CADASTRAL", "Inconsistência Cadastral"),
)
_NATURES = (
    Nature("2062", "Sociedade Empresária Limitada", 70, "LTDA", (49, "Sócio-Administrador")),
    Nature("2054", "Sociedade Anônima Fechada", 10, "S.A.", (10, "Diretor")),
    Nature("2135", "Empresário (Individual)", 10, "", None),
    Nature("3999", "Associação Privada", 10, "", (16, "Presidente")),
)
_SIZES = (
    Size(1, "MICRO EMPRESA", "01", "Micro Empresa", "Microempresa (ME)", "ME", "Microempresa"),
    Size(
        3,
        "EMPRESA DE PEQUENO PORTE",
        "03",
        "Empresa de Pequeno Porte",
        "Empresa de Pequeno Porte (EPP)",
        "EPP",
        "Empresa de Pequeno Porte",
    ),
    Size(5, "DEMAIS", "05", "Demais", "Demais", "DEMAIS", "Demais"),
)
_CNAES = (
    Cnae("6201501", "J", "Desenvolvimento de programas de computador sob encomenda"),
    Cnae("6204000", "J", "Consultoria em tecnologia da informação"),
    Cnae("4711302", "G", "Comércio varejista de mercadorias em geral, com predominância de produtos alimentícios"),
    Cnae("4639701", "G", "Comércio atacadista de produtos alimentícios em geral"),
    Cnae("5611201", "I", "Restaurantes e similares"),
    Cnae("7020400", "M", "Atividades de consultoria em gestão empresarial, exceto consultoria técnica específica"),
    Cnae("4930202", "H", "Transporte rodoviário de carga, exceto produtos perigosos, interestadual e internacional"),
    Cnae("8599699", "P", "Outras atividades de ensino não especificadas anteriormente"),
    Cnae("1091101", "C", "Fabricação de produtos de panificação industrial"),
    Cnae("4120400", "F", "Construção de edifícios"),
    # Leading zeros: lost in CNPJá's and minha-receita's integer codes.
    Cnae("0220903", "A", "Coleta de castanha-do-pará em florestas nativas"),
    Cnae("0111301", "A", "Cultivo de arroz"),
)
_CITIES = (
    City("SAO PAULO", "São Paulo", "SP", 3550308, "7107", "São Paulo", 35, 26, "11"),
    City("RIO DE JANEIRO", "Rio de Janeiro", "RJ", 3304557, "6001", "Rio de Janeiro", 33, 19, "21"),
    City("BELO HORIZONTE", "Belo Horizonte", "MG", 3106200, "4123", "Minas Gerais", 31, 11, "31"),
    City("CURITIBA", "Curitiba", "PR", 4106902, "7535", "Paraná", 41, 16, "41"),
    City("PORTO ALEGRE", "Porto Alegre", "RS", 4314902, "8801", "Rio Grande do Sul", 43, 21, "51"),
    City("SALVADOR", "Salvador", "BA", 2927408, "3849", "Bahia", 29, 5, "71"),
    City("RECIFE", "Recife", "PE", 2611606, "2531", "Pernambuco", 26, 17, "81"),
    City("CARIACICA", "Cariacica", "ES", 3201308, "5625", "Espírito Santo", 32, 8, "27"),
    City("BRASILIA", "Brasília", "DF", 5300108, "9701", "Distrito Federal", 53, 7, "61"),
    City("GOIANIA", "Goiânia", "GO", 5208707, "9373", "Goiás", 52, 9, "62"),
)
_AGE_RANGES = (
    AgeRange(4, "Entre 31 a 40 anos", "31 a 40 anos", "31-40"),
    AgeRange(5, "Entre 41 a 50 anos", "41 a 50 anos", "41-50"),
    AgeRange(6, "Entre 51 a 60 anos", "51 a 60 anos", "51-60"),
)
_NAME_WORDS = ("ALFA", "BRASIL", "NOVA", "PRIMA", "VERDE", "ATLANTICO", "CENTRAL", "UNIAO", "AURORA", "HORIZONTE")
_NAME_TRADES = ("COMERCIO DE ALIMENTOS", "TECNOLOGIA", "SERVICOS", "LOGISTICA", "CONSTRUCOES", "EDUCACAO")
_STREETS = (("RUA", "DAS FLORES"), ("AVENIDA", "BRASIL"), ("RUA", "SANTA FE"), ("AVENIDA", "PAULISTA"))
_DISTRICTS = ("CENTRO", "BELA VISTA", "JARDIM AMERICA", "VILA NOVA")
_COMPLEMENTS = ("SALA 12", "ANDAR 4", "LOJA 2", "CONJ 1102")
# Obviously fictitious people: the sandbox must never look like it leaks a real person's data.
_FIRST_NAMES = ("FULANO", "BELTRANA", "CICRANO", "MARIA FICTICIA", "JOAO EXEMPLO")
_LAST_NAMES = ("DE TAL", "DA SILVA TESTE", "SANDBOX", "EXEMPLAR")
_LOWER_WORDS = {"DE", "DA", "DO", "DAS", "DOS", "E"}


def title_case(text: str) -> str:
    """ "RUA DAS FLORES" -> "Rua das Flores", as CNPJá writes names and streets."""
    words = text.split()
    return " ".join(
        w.lower() if i and w.upper() in _LOWER_WORDS else w[:1].upper() + w[1:].lower() for i, w in enumerate(words)
    )


def today() -> date:
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class Company:
    """One establishment, provider-neutral; every renderer reads the same record."""

    cnpj: str
    legal_name: str
    trade_name: str  # "" when none
    status: Status
    status_date: date
    opened: date
    nature: Nature
    size: Size
    capital: Decimal
    main_cnae: Cnae
    secondary_cnaes: tuple[Cnae, ...]
    city: City
    street: tuple[str, str]  # (type, name), UPPER
    number: str
    complement: str  # "" when none
    district: str
    zip_code: str
    phone: str  # 8 digits, without the DDD
    email: str | None
    simples: bool
    simples_since: date | None
    responsible: tuple[int, str]  # qualificação do responsável
    partners: tuple[Partner, ...] = field(default_factory=tuple)
    registrations: tuple[Registration, ...] = field(default_factory=tuple)
    # When each provider that dates its records last refreshed this one (ISO, UTC).
    record_updated: dict[str, str] = field(default_factory=dict)

    @property
    def head_office(self) -> bool:
        return self.cnpj[8:12] == "0001"

    @property
    def phone_is_mobile(self) -> bool:
        return len(self.phone) == 9 and self.phone.startswith("9")


def _weighted(rng: random.Random, options: tuple[Any, ...]) -> Any:
    return rng.choices(options, weights=[option.weight for option in options])[0]


def _stamp(day: date, rng: random.Random, fixed_time: bool = False) -> str:
    if fixed_time:
        return f"{day.isoformat()}T03:00:00.000Z"
    seconds, millis = rng.randrange(0, 86400), rng.randrange(1000)
    return f"{day.isoformat()}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}.{millis:03d}Z"


def generate_company(cnpj: str, as_of: date | None = None) -> Company:
    """The same CNPJ (and `as_of`) always yields the same company (seeded by its hash); mostly ATIVA."""
    as_of = as_of or today()
    seed = int(hashlib.sha256(cnpj.encode()).hexdigest()[:16], 16)
    rng = random.Random(seed)
    status = _weighted(rng, _STATUSES)
    nature = _weighted(rng, _NATURES)
    opened = date(1975, 1, 1) + timedelta(days=rng.randrange(0, 18000))
    latest = as_of - timedelta(days=30)
    status_date = opened if status.code == 2 else min(latest, opened + timedelta(days=rng.randrange(30, 3000)))
    size = rng.choice(_SIZES)
    words = rng.sample(_NAME_WORDS, 2)
    trade = rng.choice(_NAME_TRADES)
    if nature.partner_role is None:
        # An empresário individual's razão social is the owner's name and CPF (the RF dump publishes it so).
        legal_name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)} {rng.randrange(10**10, 10**11)}"
    else:
        legal_name = " ".join(part for part in (words[0], words[1], trade, nature.suffix) if part)
    city = rng.choice(_CITIES)
    cnaes = rng.sample(_CNAES, 1 + rng.randrange(0, 4))
    partners: list[Partner] = []
    if nature.partner_role is not None:
        role_code, role = nature.partner_role
        for index in range(1 + rng.randrange(0, 3)):
            partners.append(
                Partner(
                    name=f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",
                    masked_cpf=f"***{rng.randrange(0, 10**6):06d}**",
                    role_code=role_code,
                    role=role,
                    since=min(latest, opened + timedelta(days=rng.randrange(0, 2000))),
                    age=rng.choice(_AGE_RANGES),
                    person_id=str(uuid.UUID(int=(seed * 31 + index) % (1 << 128), version=4)),
                )
            )
    simples = size.code in (1, 3) and rng.random() < 0.7
    slug = "".join(words).lower()
    registrations: tuple[Registration, ...] = ()
    if nature.partner_role is not None and status.code == 2 and rng.random() < 0.5:
        since = min(latest, opened + timedelta(days=rng.randrange(0, 400)))
        registrations = (Registration(f"{rng.randrange(10**8, 10**9)}", city.uf, since),)
    phone = f"9{rng.randrange(10**7, 10**8)}" if rng.random() < 0.2 else f"{rng.randrange(20_000_000, 39_999_999)}"
    record_updated = {
        "cnpjws": _stamp(as_of - timedelta(days=rng.randrange(0, 41)), rng, fixed_time=True),
        "receitaws": _stamp(as_of - timedelta(days=rng.randrange(0, 31)), rng),
        "cnpja": _stamp(as_of - timedelta(days=rng.randrange(0, 46)), rng),
    }
    return Company(
        cnpj=cnpj,
        legal_name=legal_name,
        trade_name="" if rng.random() < 0.3 else f"{words[0]} {trade.split()[0]}",
        status=status,
        status_date=status_date,
        opened=opened,
        nature=nature,
        size=size,
        capital=Decimal(rng.randrange(100_000, 1_000_000_000)) / 100,
        main_cnae=cnaes[0],
        secondary_cnaes=tuple(cnaes[1:]),
        city=city,
        street=rng.choice(_STREETS),
        number=str(rng.randrange(1, 3000)),
        complement=rng.choice(_COMPLEMENTS) if rng.random() < 0.3 else "",
        district=rng.choice(_DISTRICTS),
        zip_code=f"{rng.randrange(10_000_000, 99_999_999)}",
        phone=phone,
        email=None if nature.partner_role is None else f"contato@{slug}.example.com.br",
        simples=simples,
        simples_since=min(latest, opened + timedelta(days=rng.randrange(0, 400))) if simples else None,
        responsible=(partners[0].role_code, partners[0].role) if partners else (50, "Empresário"),
        partners=tuple(partners),
        registrations=registrations,
        record_updated=record_updated,
    )
