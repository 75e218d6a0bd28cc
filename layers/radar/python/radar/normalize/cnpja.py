"""CNPJá open API payload (`/office/{taxId}`: integer codes, Title-case text, the street type inside `street`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from radar.normalize.common import (
    MalformedPayload,
    as_dict,
    as_list,
    build_report,
    clean_text,
    cnae_code,
    cnae_details,
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
    split_street_type,
    status_from_code,
    status_from_text,
)
from radar.report import Partner, Report, StateRegistration

__all__ = ["normalize_cnpja"]

# Which of several e-mails is the company's: CNPJá classifies each one it knows.
_EMAIL_PREFERENCE = ("CORPORATE", "ACCOUNTING")


def _partner(raw: dict[str, Any]) -> Partner:
    person = as_dict(raw.get("person"))
    role = as_dict(raw.get("role"))
    return Partner(
        name=clean_text(person.get("name")),
        document=mask_document(person.get("taxId")),
        kind=partner_kind_from_text(person.get("type")),
        role=clean_text(role.get("text")),
        role_code=role_code(role.get("id")),
        joined_on=parse_date(raw.get("since")),
        age_range=normalize_age_range(person.get("age")),
        country=clean_text(as_dict(person.get("country")).get("name")),
    )


def _email(emails: list[Any]) -> Any:
    known = [e for e in emails if isinstance(e, dict) and clean_text(e.get("address"))]
    for ownership in _EMAIL_PREFERENCE:
        for email in known:
            if str(email.get("ownership", "")).upper() == ownership:
                return email.get("address")
    return known[0].get("address") if known else None


def _equity(value: Any) -> str | None:
    # A float64 number: two decimal places, as the RF publishes capital.
    text = parse_decimal(value)
    return format(Decimal(text).quantize(Decimal("0.01")), "f") if text is not None else None


def _state_registration(raw: dict[str, Any]) -> StateRegistration | None:
    number = clean_text(raw.get("number"))
    if number is None:
        return None
    enabled = raw.get("enabled")
    return StateRegistration(
        number=number,
        state=clean_text(raw.get("state")),
        active=enabled if isinstance(enabled, bool) else None,
    )


def _option(value: Any) -> bool | None:
    optant = as_dict(value).get("optant")
    return optant if isinstance(optant, bool) else None


def normalize_cnpja(payload: Any, *, expected_cnpj: str | None = None, fetched_at: datetime | None = None) -> Report:
    """Map a CNPJá open 200 body (one office) to a Report."""
    if not isinstance(payload, dict) or not (payload.get("taxId") or isinstance(payload.get("company"), dict)):
        raise MalformedPayload("CNPJá body is not an office record")
    company = as_dict(payload.get("company"))
    status = as_dict(payload.get("status"))
    main = as_dict(payload.get("mainActivity"))
    main_cnae = cnae_code(main.get("id"))
    secondary = cnae_details(
        [(a.get("id"), a.get("text")) for a in as_list(payload.get("sideActivities")) if isinstance(a, dict)]
    )
    nature = as_dict(company.get("nature"))
    size = as_dict(company.get("size"))
    address = as_dict(payload.get("address"))
    street_type, street = split_street_type(address.get("street"))
    head = payload.get("head")
    simples, simei = company.get("simples"), company.get("simei")
    fields: dict[str, Any] = {
        "legal_name": clean_text(company.get("name")),
        "trade_name": clean_text(payload.get("alias")),
        "status": status_from_code(status.get("id")) or status_from_text(status.get("text")),
        "status_date": parse_date(payload.get("statusDate")),
        # Sent only when the status is not ATIVA.
        "status_reason": normalize_reason(as_dict(payload.get("reason")).get("text")),
        "opened_on": parse_date(payload.get("founded")),
        "head_office": head if isinstance(head, bool) else None,
        "main_cnae": main_cnae,
        "main_cnae_description": clean_text(main.get("text")) if main_cnae else None,
        "secondary_cnaes": [detail.code for detail in secondary],
        "secondary_cnae_details": secondary,
        "legal_nature": make_legal_nature(nature.get("id"), nature.get("text")),
        "size": size_from_code(size.get("id")) or size_from_text(size.get("acronym")),
        "share_capital": _equity(company.get("equity")),
        "address": make_address(
            street_type=street_type,
            street=street,
            number=address.get("number"),
            complement=address.get("details"),
            district=address.get("district"),
            zip_code=address.get("zip"),
            city=address.get("city"),
            city_ibge_code=address.get("municipality"),
            state=address.get("state"),
            country=as_dict(address.get("country")).get("name"),
        ),
        "contact": make_contact(
            [
                f"{p.get('area') or ''}{p.get('number') or ''}"
                for p in as_list(payload.get("phones"))
                if isinstance(p, dict)
            ],
            _email(as_list(payload.get("emails"))),
        ),
        "simples": _option(simples),
        "mei": _option(simei),
        # CNPJá open gives the option dates only ("since"), never the exclusion dates.
        "tax_option_dates": make_tax_option_dates(as_dict(simples).get("since"), None, as_dict(simei).get("since")),
        "partners": [_partner(m) for m in as_list(company.get("members")) if isinstance(m, dict)],
        "state_registrations": [
            reg
            for reg in (_state_registration(r) for r in as_list(payload.get("registrations")) if isinstance(r, dict))
            if reg is not None
        ],
        "source_updated_at": parse_datetime(payload.get("updated")),
    }
    return build_report(
        fields,
        source="cnpja",
        payload_cnpj=payload.get("taxId"),
        expected_cnpj=expected_cnpj,
        fetched_at=fetched_at,
    )
