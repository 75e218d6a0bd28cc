"""The normalized company report: one pydantic model whatever the provider (providers.md section 2.4)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Address",
    "CnaeDetail",
    "Contact",
    "LegalNature",
    "Partner",
    "PartnerKind",
    "RegistrationStatus",
    "Report",
    "ReportSource",
    "Size",
    "StateRegistration",
    "TaxOptionDates",
]

RegistrationStatus = Literal["ATIVA", "BAIXADA", "INAPTA", "SUSPENSA", "NULA"]
Size = Literal["MICRO_EMPRESA", "EMPRESA_DE_PEQUENO_PORTE", "DEMAIS"]
PartnerKind = Literal["PF", "PJ", "FOREIGN"]
# The provider's name in radar.lookup.registry, or "mock": adding a provider adds no name here.
ReportSource = str


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class CnaeDetail(_Frozen):
    """One CNAE subclass: its 7-digit code and the description the provider sent with it (None when it sent none)."""

    code: str = Field(pattern=r"^\d{7}$")
    description: str | None = None


class LegalNature(_Frozen):
    """Natureza jurídica: the 4-digit RFB code (e.g. 2054) and its description."""

    code: str | None = Field(default=None, pattern=r"^\d{4}$")
    description: str | None = None


class Address(_Frozen):
    """Establishment address. Street-level fields are dropped for sole proprietors (home addresses)."""

    street_type: str | None = None
    street: str | None = None
    number: str | None = None
    complement: str | None = None
    district: str | None = None
    zip_code: str | None = Field(default=None, pattern=r"^\d{8}$")
    city: str | None = None
    city_ibge_code: str | None = Field(default=None, pattern=r"^\d{7}$")
    state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    country: str | None = None


class Contact(_Frozen):
    """Business contacts as registered; absent (None on the report) for sole proprietors."""

    phones: list[str] = Field(default_factory=list)
    email: str | None = None


class TaxOptionDates(_Frozen):
    """When the company opted into / was excluded from Simples Nacional and MEI (SIMEI), when known."""

    simples_opted_on: date | None = None
    simples_excluded_on: date | None = None
    mei_opted_on: date | None = None
    mei_excluded_on: date | None = None


class Partner(_Frozen):
    """One QSA entry. `document` is the masked CPF (***123456**) as published, a partner CNPJ, or None."""

    name: str | None = None
    document: str | None = None
    kind: PartnerKind | None = None
    role: str | None = None
    role_code: str | None = None
    joined_on: date | None = None
    age_range: str | None = None
    country: str | None = None


class StateRegistration(_Frozen):
    """Inscrição estadual (only CNPJ.ws publishes these)."""

    number: str
    state: str | None = None
    active: bool | None = None
    updated_at: datetime | None = None


class Report(_Frozen):
    """A normalized CNPJ report; `model_dump(mode="json")` is the stored and returned form."""

    cnpj: str = Field(pattern=r"^[0-9A-Z]{12}\d{2}$")
    cnpj_formatted: str
    legal_name: str | None = None
    trade_name: str | None = None
    status: RegistrationStatus | None = None
    status_date: date | None = None
    status_reason: str | None = None
    opened_on: date | None = None
    head_office: bool | None = None
    main_cnae: str | None = Field(default=None, pattern=r"^\d{7}$")
    main_cnae_description: str | None = None
    secondary_cnaes: list[str] = Field(default_factory=list)
    # The same codes, in the same order, each with its description where the provider carries one.
    secondary_cnae_details: list[CnaeDetail] = Field(default_factory=list)
    legal_nature: LegalNature | None = None
    size: Size | None = None
    share_capital: str | None = Field(default=None, pattern=r"^-?\d+\.\d{2,}$")
    address: Address | None = None
    contact: Contact | None = None
    simples: bool | None = None
    mei: bool | None = None
    tax_option_dates: TaxOptionDates | None = None
    partners: list[Partner] = Field(default_factory=list)
    state_registrations: list[StateRegistration] = Field(default_factory=list)
    source: ReportSource = Field(pattern=r"^[a-z][a-z0-9_]*$")
    fetched_at: datetime
    source_updated_at: datetime | None = None
    # True when the provider's record lacks data a complete record has (reasons say which).
    partial: bool = False
    partial_reasons: list[str] = Field(default_factory=list)
    # True when sole-proprietor privacy rules removed personal data (CPF in names, home address, contacts).
    personal_data_redacted: bool = False
