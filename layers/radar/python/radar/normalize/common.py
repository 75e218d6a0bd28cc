"""Field parsers shared by the provider normalizers, plus the privacy and completeness rules of reports."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from radar.cnpj import format_cnpj, parse_cnpj
from radar.errors import InvalidCnpj
from radar.report import (
    Address,
    CnaeDetail,
    Contact,
    LegalNature,
    PartnerKind,
    RegistrationStatus,
    Report,
    ReportSource,
    Size,
    TaxOptionDates,
)

__all__ = [
    "MalformedPayload",
    "as_dict",
    "as_list",
    "build_report",
    "clean_text",
    "cnae_code",
    "cnae_details",
    "digits_only",
    "fold",
    "head_office_from_text",
    "is_natural_person_nature",
    "is_sole_proprietor",
    "legal_nature_code_for",
    "make_address",
    "make_contact",
    "make_legal_nature",
    "make_tax_option_dates",
    "mask_document",
    "normalize_age_range",
    "normalize_reason",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "partner_kind_from_text",
    "role_code",
    "size_from_code",
    "size_from_text",
    "split_street_type",
    "status_from_code",
    "status_from_text",
    "strip_cpf",
    "yes_no",
]


class MalformedPayload(ValueError):
    """The provider answered 200 with a body that is not a company record we can read."""


# Placeholders providers use for "no data": ReceitaWS masks with asterisks, others send "" or "0".
_ASTERISKS = re.compile(r"^\*+$")
_NULL_TEXTS = frozenset({"", "0", "NULL", "NONE", "N/A"})
_CPF_IN_TEXT = re.compile(r"(?<![\dA-Za-z])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![\dA-Za-z])")
_MASKED_CPF = re.compile(r"^\*{3}\d{6}\*{2}$")
_BR_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_RF_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # the RF dump's YYYYMMDD
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_STATUSES: tuple[RegistrationStatus, ...] = ("ATIVA", "BAIXADA", "INAPTA", "SUSPENSA", "NULA")
# RFB situação cadastral codes as BrasilAPI / minha-receita publish them.
_STATUS_CODES: dict[int, RegistrationStatus] = {
    1: "NULA",
    2: "ATIVA",
    3: "SUSPENSA",
    4: "INAPTA",
    8: "BAIXADA",
}
_SIZE_CODES: dict[int, Size] = {1: "MICRO_EMPRESA", 3: "EMPRESA_DE_PEQUENO_PORTE", 5: "DEMAIS"}
_SIZE_TEXTS: dict[str, Size] = {
    "MICRO EMPRESA": "MICRO_EMPRESA",
    "MICROEMPRESA": "MICRO_EMPRESA",
    "ME": "MICRO_EMPRESA",
    "EMPRESA DE PEQUENO PORTE": "EMPRESA_DE_PEQUENO_PORTE",
    "EPP": "EMPRESA_DE_PEQUENO_PORTE",
    "DEMAIS": "DEMAIS",
}
# Reasons that mean "no reason": treated as null so every provider reads the same for an active company.
_NO_REASON = frozenset({"SEM MOTIVO", "NAO INFORMADO", "NAO INFORMADA"})
# RFB natureza jurídica codes by their official description (folded), for providers that send the text only
# (OpenCNPJ). Only entries of the RFB table; a text not listed here keeps a null code.
_NATURE_CODES: dict[str, str] = {
    "EMPRESA PUBLICA": "2011",
    "SOCIEDADE DE ECONOMIA MISTA": "2038",
    "SOCIEDADE ANONIMA ABERTA": "2046",
    "SOCIEDADE ANONIMA FECHADA": "2054",
    "SOCIEDADE EMPRESARIA LIMITADA": "2062",
    "SOCIEDADE EMPRESARIA EM NOME COLETIVO": "2070",
    "SOCIEDADE EMPRESARIA EM COMANDITA SIMPLES": "2089",
    "SOCIEDADE EMPRESARIA EM COMANDITA POR ACOES": "2097",
    "SOCIEDADE EM CONTA DE PARTICIPACAO": "2127",
    "EMPRESARIO (INDIVIDUAL)": "2135",
    "EMPRESARIO INDIVIDUAL": "2135",
    "COOPERATIVA": "2143",
    "CONSORCIO DE SOCIEDADES": "2151",
    "GRUPO DE SOCIEDADES": "2160",
    "SOCIEDADE SIMPLES PURA": "2232",
    "SOCIEDADE SIMPLES LIMITADA": "2240",
    "SOCIEDADE SIMPLES EM NOME COLETIVO": "2259",
    "SOCIEDADE SIMPLES EM COMANDITA SIMPLES": "2267",
    "EMPRESA INDIVIDUAL DE RESPONSABILIDADE LIMITADA (DE NATUREZA EMPRESARIA)": "2305",
    "EMPRESA INDIVIDUAL DE RESPONSABILIDADE LIMITADA (DE NATUREZA SIMPLES)": "2313",
    "SOCIEDADE UNIPESSOAL DE ADVOCACIA": "2321",
    "COOPERATIVAS DE CONSUMO": "2330",
    "FUNDACAO PRIVADA": "3069",
    "ORGANIZACAO RELIGIOSA": "3220",
    "ASSOCIACAO PRIVADA": "3999",
    "PRODUTOR RURAL (PESSOA FISICA)": "4120",
}
# Natures whose holder is a natural person (RFB table: Empresário Individual 213-5 and group 4, "Pessoas Físicas"):
# their establishment is usually the owner's home. EIRELI (230-5, 231-3) is a legal entity despite "Individual".
_NATURAL_PERSON_CODES = frozenset({"2135"})
_NATURAL_PERSON_PREFIX = "4"
# Street types as the RFB writes them (RF dump's "tipo de logradouro"), for providers that put the type inside the
# street (CNPJá: "Avenida Constantino Nery"). Longer names first so "ESTRADA VICINAL" wins over "ESTRADA".
_STREET_TYPES = tuple(
    sorted(
        {
            "ACESSO",
            "ALAMEDA",
            "AVENIDA",
            "BECO",
            "BOULEVARD",
            "CAMINHO",
            "CONDOMINIO",
            "CONJUNTO",
            "ESTRADA",
            "ESTRADA MUNICIPAL",
            "ESTRADA VICINAL",
            "FAZENDA",
            "GALERIA",
            "LADEIRA",
            "LARGO",
            "LOTEAMENTO",
            "PARQUE",
            "PASSAGEM",
            "PRACA",
            "QUADRA",
            "RODOVIA",
            "RUA",
            "SETOR",
            "SITIO",
            "TRAVESSA",
            "TREVO",
            "VIA",
            "VIADUTO",
            "VIELA",
            "VILA",
        },
        key=lambda t: (-len(t), t),
    )
)
# 0800/0300/0500/0900 numbers are 11 digits with their zero, not a trunk prefix before a DDD.
_NON_GEOGRAPHIC = ("0800", "0300", "0500", "0900")
_COUNTRY_BRAZIL = frozenset({"BRASIL", "BRAZIL", "BR", "BRA"})


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def fold(text: str) -> str:
    """Uppercase without accents, single-spaced: for comparing provider vocabularies."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.upper().split())


def clean_text(value: Any) -> str | None:
    """Trimmed text, or None for missing values and placeholders (********, empty strings)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if _ASTERISKS.match(text) or text.upper() in _NULL_TEXTS:
        return None
    return text


def digits_only(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return "".join(ch for ch in str(value) if ch.isdigit())


def parse_date(value: Any) -> date | None:
    """ISO (YYYY-MM-DD or a timestamp), dd/mm/yyyy or the RF's YYYYMMDD; placeholders and impossible dates are None."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        if match := _BR_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        # YYYYMMDD only as text: a bare number is no date.
        if match := _ISO_DATE.match(text) or (_RF_DATE.match(text) if isinstance(value, str) else None):
            year, month, day = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def parse_datetime(value: Any) -> datetime | None:
    """An ISO timestamp as an aware UTC datetime (naive values are taken as UTC)."""
    text = clean_text(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def parse_decimal(value: Any) -> str | None:
    """An exact decimal string with at least two decimal places ("6983568523.86", "0.00").

    Strings are parsed as written (no float round trip); "1.234,56" and "0,00" (Brazilian style) are accepted.
    JSON numbers go through repr(), the shortest text that round-trips, so no binary noise is added.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        text = repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        if not text or _ASTERISKS.match(text):
            return None
        if "," in text:
            # Brazilian notation: dots group thousands, the comma is the decimal separator.
            text = text.replace(".", "").replace(",", ".")
    else:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > -2:
        number = number.quantize(Decimal("0.01"))
    return format(number, "f")


def cnae_details(pairs: list[tuple[Any, Any]]) -> list[CnaeDetail]:
    """(code, description) pairs as CNAE details, one per valid code in first-seen order (placeholders dropped)."""
    details: dict[str, CnaeDetail] = {}
    for raw_code, raw_description in pairs:
        code = cnae_code(raw_code)
        if code and code not in details:
            description = clean_text(raw_description)
            if description is not None and fold(description) in ("NAO INFORMADA", "NAO INFORMADO"):
                description = None
            details[code] = CnaeDetail(code=code, description=description)
    return list(details.values())


def cnae_code(value: Any) -> str | None:
    """A 7-digit CNAE subclass from 6021700, "6021700", "60.21-7-00" or "6021-7/00"; 00.00-0-00 is None."""
    code = digits_only(value)
    if not code or set(code) == {"0"} or len(code) > 7:
        return None
    # BrasilAPI sends integers, so a leading zero is lost (220903 is 0220903).
    return code.zfill(7)


def status_from_text(value: Any) -> RegistrationStatus | None:
    text = clean_text(value)
    if text is None:
        return None
    folded = fold(text)
    for status in _STATUSES:
        if folded == status:
            return status
    return None


def status_from_code(value: Any) -> RegistrationStatus | None:
    if isinstance(value, bool):
        return None
    try:
        return _STATUS_CODES.get(int(value))
    except (TypeError, ValueError):
        return None


def size_from_code(value: Any) -> Size | None:
    if isinstance(value, bool):
        return None
    try:
        return _SIZE_CODES.get(int(value))
    except (TypeError, ValueError):
        return None


def size_from_text(value: Any) -> Size | None:
    """ "MICRO EMPRESA", "Microempresa (ME)", "Empresa de Pequeno Porte (EPP)", "Demais"; "Não informado" is None."""
    text = clean_text(value)
    if not text:
        return None
    folded = fold(text)
    return _SIZE_TEXTS.get(folded) or _SIZE_TEXTS.get(re.sub(r"\s*\(.*\)\s*$", "", folded))


def head_office_from_text(value: Any) -> bool | None:
    """ "MATRIZ" (head office) or the RF's code 1 is True, "FILIAL" or 2 False, anything else unknown."""
    text = (clean_text(value) or "").upper()
    return True if text in ("MATRIZ", "1") else False if text in ("FILIAL", "2") else None


def yes_no(value: Any) -> bool | None:
    """Booleans, or "Sim"/"Não" as CNPJ.ws writes them; anything else is unknown."""
    if isinstance(value, bool):
        return value
    text = clean_text(value)
    if text is None:
        return None
    folded = fold(text)
    if folded in ("SIM", "S", "TRUE"):
        return True
    if folded in ("NAO", "N", "FALSE"):
        return False
    return None


def normalize_age_range(value: Any) -> str | None:
    """One form, "51 a 60 anos": CNPJ.ws and OpenCNPJ write it so, BrasilAPI "Entre 51 a 60 anos", CNPJá "51-60" and
    "81+" (the RFB's "Mais de 80 anos"). "Não se aplica" is None."""
    text = clean_text(value)
    if text is None or fold(text) == "NAO SE APLICA":
        return None
    if match := re.fullmatch(r"(\d+)\s*-\s*(\d+)", text):
        return f"{int(match.group(1))} a {int(match.group(2))} anos"
    if match := re.fullmatch(r"(\d+)\s*\+", text):
        return f"Mais de {int(match.group(1)) - 1} anos"
    text = re.sub(r"^(?i:entre)\s+", "", text)
    if match := re.fullmatch(r"(\d+) a (\d+)(?: (?i:anos))?", text):
        return f"{int(match.group(1))} a {int(match.group(2))} anos"
    return text


def role_code(value: Any) -> str | None:
    """A partner qualification code in its RFB form, two digits ("05", "49"), whether sent as 5, "5" or "05"."""
    digits = digits_only(value)
    if not digits or set(digits) == {"0"} or len(digits) > 2:
        return None
    return digits.zfill(2)


def partner_kind_from_text(value: Any) -> PartnerKind | None:
    """ "Pessoa Física"/"Pessoa Jurídica"/"Estrangeiro" (CNPJ.ws, OpenCNPJ) or NATURAL/LEGAL/FOREIGN (CNPJá)."""
    folded = fold(clean_text(value) or "")
    if "FISICA" in folded or folded == "NATURAL":
        return "PF"
    if "JURIDICA" in folded or folded == "LEGAL":
        return "PJ"
    if "ESTRANGEIR" in folded or folded == "FOREIGN":
        return "FOREIGN"
    return None


def legal_nature_code_for(description: Any) -> str | None:
    """The RFB code of a legal nature given by its description only, when the description is in the RFB table."""
    text = clean_text(description)
    return _NATURE_CODES.get(fold(text)) if text else None


def split_street_type(street: Any) -> tuple[str | None, str | None]:
    """("AVENIDA", "CONSTANTINO NERY")-style split of a street that starts with its type; (None, street) otherwise."""
    text = clean_text(street)
    if text is None:
        return None, None
    folded = fold(text)
    for street_type in _STREET_TYPES:
        if folded.startswith(street_type + " ") and len(folded) > len(street_type) + 1:
            words = len(street_type.split())
            parts = text.split()
            return " ".join(parts[:words]), " ".join(parts[words:])
    return None, text


def normalize_reason(value: Any) -> str | None:
    text = clean_text(value)
    if text is None or fold(text) in _NO_REASON:
        return None
    return text


def make_legal_nature(code: Any, description: Any) -> LegalNature | None:
    """Code as 4 digits ("2054" from 2054, "205-4" or "2054"); a missing code is looked up by the description."""
    digits = digits_only(code)
    code_text = digits.zfill(4) if digits and len(digits) <= 4 and set(digits) != {"0"} else None
    desc = clean_text(description)
    if code_text is None:
        code_text = legal_nature_code_for(desc)
    if code_text is None and desc is None:
        return None
    return LegalNature(code=code_text, description=desc)


def _zip(value: Any) -> str | None:
    """The 8-digit CEP from "22.460-901", "22460901" or a number that lost its leading zero (1311902)."""
    code = digits_only(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < len(code) < 8:
        code = code.zfill(8)
    return code if len(code) == 8 else None


def _ibge(value: Any) -> str | None:
    code = digits_only(value)
    return code if len(code) == 7 else None


def _country(value: Any, state: str | None) -> str | None:
    """One spelling for Brazil ("Brasil"), which the RF dump leaves empty for domestic establishments."""
    text = clean_text(value)
    if text is None:
        return "Brasil" if state is not None else None
    return "Brasil" if fold(text) in _COUNTRY_BRAZIL else text


def _uf(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    text = text.upper()
    # "EX" is how the RFB marks an establishment abroad: not a state.
    return text if re.fullmatch(r"[A-Z]{2}", text) and text != "EX" else None


def make_address(
    *,
    street_type: Any = None,
    street: Any = None,
    number: Any = None,
    complement: Any = None,
    district: Any = None,
    zip_code: Any = None,
    city: Any = None,
    city_ibge_code: Any = None,
    state: Any = None,
    country: Any = None,
) -> Address | None:
    address = Address(
        street_type=clean_text(street_type),
        street=clean_text(street),
        number=clean_text(number),
        complement=clean_text(complement),
        district=clean_text(district),
        zip_code=_zip(zip_code),
        city=clean_text(city),
        city_ibge_code=_ibge(city_ibge_code),
        state=_uf(state),
        country=_country(country, _uf(state)),
    )
    return address if any(v is not None for v in address.model_dump().values()) else None


def _phone(value: Any) -> str | None:
    """DDD + 8 or 9 digits ("2121554551"), without a +55 country code or a 0 trunk prefix; fragments are None."""
    number = digits_only(value)
    if len(number) in (12, 13) and number.startswith("55"):
        number = number[2:]
    if number.startswith("0") and not number.startswith(_NON_GEOGRAPHIC):
        number = number[1:]  # the trunk prefix of "(021) 2155-4551"
    return number if 10 <= len(number) <= 11 else None


def make_contact(phones: list[Any], email: Any) -> Contact | None:
    numbers: list[str] = []
    for raw in phones:
        number = _phone(raw)
        if number and number not in numbers:
            numbers.append(number)
    mail = clean_text(email)
    # E-mail addresses are case-insensitive in practice; providers differ (OpenCNPJ UPPER, CNPJá lower).
    mail = mail.lower() if mail and _EMAIL.match(mail) else None
    if not numbers and mail is None:
        return None
    return Contact(phones=numbers, email=mail)


def make_tax_option_dates(
    simples_opted_on: Any = None,
    simples_excluded_on: Any = None,
    mei_opted_on: Any = None,
    mei_excluded_on: Any = None,
) -> TaxOptionDates | None:
    dates = TaxOptionDates(
        simples_opted_on=parse_date(simples_opted_on),
        simples_excluded_on=parse_date(simples_excluded_on),
        mei_opted_on=parse_date(mei_opted_on),
        mei_excluded_on=parse_date(mei_excluded_on),
    )
    return dates if any(v is not None for v in dates.model_dump().values()) else None


def strip_cpf(text: str | None) -> tuple[str | None, bool]:
    """Remove CPF numbers embedded in a name (sole proprietors are registered as "NAME 12345678901")."""
    if text is None:
        return None, False
    stripped = _CPF_IN_TEXT.sub(" ", text)
    if stripped == text:
        return text, False
    stripped = " ".join(stripped.split()).strip(" -/")
    return (stripped or None), True


def mask_document(value: Any) -> str | None:
    """A partner document as published: a masked CPF or a 14-char CNPJ. A bare CPF is masked here."""
    text = clean_text(value)
    if text is None:
        return None
    if _MASKED_CPF.match(text):
        return text
    bare = re.sub(r"[.\-/\s]", "", text).upper()
    if len(bare) == 11 and bare.isdigit():
        return f"***{bare[3:9]}**"
    if len(bare) == 14:
        return bare
    return text if "*" in text else None


def is_natural_person_nature(legal_nature: LegalNature | None) -> bool:
    """Empresário Individual (213-5) or an RFB group-4 nature ("Pessoas Físicas"); by its text when the code is missing.

    EIRELI (230-5/231-3, "Empresa Individual de Responsabilidade Limitada") is a legal entity: not a natural person.
    """
    if legal_nature is None:
        return False
    if legal_nature.code is not None:
        return legal_nature.code in _NATURAL_PERSON_CODES or legal_nature.code.startswith(_NATURAL_PERSON_PREFIX)
    text = fold(legal_nature.description or "")
    return (text.startswith("EMPRESARIO") and "INDIVIDUAL" in text) or "PESSOA FISICA" in text


def is_sole_proprietor(legal_nature: LegalNature | None, mei: bool | None) -> bool:
    """A natural person's business (Empresário Individual 213-5, group 4) or a MEI: the privacy rule applies."""
    return bool(mei) or is_natural_person_nature(legal_nature)


def _parse_cnpj_text(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    try:
        return parse_cnpj(text).value
    except InvalidCnpj:
        return None


_CORE_FIELDS = (
    "legal_name",
    "status",
    "status_date",
    "opened_on",
    "head_office",
    "main_cnae",
    "legal_nature",
    "share_capital",
    "address",
)


def build_report(
    fields: dict[str, Any],
    *,
    source: ReportSource,
    payload_cnpj: Any,
    expected_cnpj: str | None,
    fetched_at: datetime | None,
    partial_reasons: list[str] | None = None,
) -> Report:
    """Apply the shared rules (CNPJ identity, privacy by default, completeness), then validate."""
    cnpj = _parse_cnpj_text(payload_cnpj)
    if cnpj is None:
        if expected_cnpj is None:
            raise MalformedPayload("the payload has no valid CNPJ")
        cnpj = expected_cnpj
    elif expected_cnpj is not None and cnpj != expected_cnpj:
        raise MalformedPayload("the provider answered for a different CNPJ")

    redacted = False
    for key in ("legal_name", "trade_name"):
        fields[key], changed = strip_cpf(fields.get(key))
        redacted = redacted or changed
    if is_sole_proprietor(fields.get("legal_nature"), fields.get("mei")):
        # The establishment of a sole proprietor is usually the owner's home; contacts are personal. Municipality,
        # state and CEP stay (due diligence needs them; minha-receita keeps them too).
        address: Address | None = fields.get("address")
        if address is not None:
            kept = address.model_copy(update={"street_type": None, "street": None, "number": None, "complement": None})
            fields["address"] = kept if any(v is not None for v in kept.model_dump().values()) else None
        fields["contact"] = None
        redacted = True

    reasons = list(partial_reasons or [])
    # Fields every complete RFB record has; a null here means the provider's record is incomplete.
    for key in _CORE_FIELDS:
        if fields.get(key) is None:
            reasons.append(f"{key}_missing")
    return Report(
        cnpj=cnpj,
        cnpj_formatted=format_cnpj(cnpj),
        source=source,
        fetched_at=fetched_at or datetime.now(UTC),
        partial=bool(reasons),
        partial_reasons=reasons,
        personal_data_redacted=redacted,
        **fields,
    )
