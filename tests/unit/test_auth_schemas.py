"""Auth request bodies: unknown fields rejected, e-mails normalised, roles constrained."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from radar.accounts.schemas import UserInviteRequest
from radar.apikeys.schemas import ApiKeyCreateRequest
from radar.tenants.schemas import SignupRequest


def test_email_is_trimmed_and_lowercased():
    body = SignupRequest(tenant_name="  Acme ", email="  Owner@Example.COM ", password="x")
    assert body.email == "owner@example.com" and body.tenant_name == "Acme"


@pytest.mark.parametrize("email", ["plain", "a@b", "a b@c.com", "@example.com", "x@example.c"])
def test_malformed_emails_are_rejected(email: str):
    with pytest.raises(ValidationError):
        SignupRequest(tenant_name="A", email=email, password="x")


def test_unknown_fields_and_blank_names_are_rejected():
    with pytest.raises(ValidationError, match="extra"):
        SignupRequest.model_validate({"tenant_name": "A", "email": "a@b.co", "password": "x", "plan": "enterprise"})
    with pytest.raises(ValidationError):
        SignupRequest(tenant_name="   ", email="a@b.co", password="x")


def test_roles_are_limited_to_the_three_known_ones():
    assert ApiKeyCreateRequest(name="ci").role == "analyst"
    with pytest.raises(ValidationError):
        ApiKeyCreateRequest(name="ci", role="owner")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        UserInviteRequest(email="a@b.co", role="superuser", password="x")  # type: ignore[arg-type]
