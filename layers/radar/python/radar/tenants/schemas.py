"""API shapes of the tenant's lifecycle: signup and plan-change bodies (unknown fields rejected), tenant views."""

from __future__ import annotations

from pydantic import Field, field_validator

from radar.accounts.schemas import UserView, normalize_email
from radar.billing.schemas import TierLimits
from radar.schema import ApiModel, RequestBody
from radar.sessions.schemas import TokenResponse

__all__ = ["DeletionJobView", "PlanChangeRequest", "SignupRequest", "SignupResponse", "TenantView", "TierLimits"]


class SignupRequest(RequestBody):
    tenant_name: str = Field(min_length=1, max_length=100, description="the organization's display name")
    email: str = Field(max_length=254)
    password: str = Field(max_length=256, description="at least 12 characters, mixing two kinds")

    _email = field_validator("email")(normalize_email)

    @field_validator("tenant_name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class PlanChangeRequest(RequestBody):
    plan: str = Field(min_length=1, max_length=32)


class TenantView(ApiModel):
    tenant_id: str
    name: str
    plan: str
    limits: TierLimits
    created_at: str
    pending_plan: str | None = Field(default=None, description="a downgrade that takes effect at pending_at")
    pending_at: str | None = Field(default=None, description="the end of the paid period")


class SignupResponse(ApiModel):
    tenant: TenantView
    user: UserView
    tokens: TokenResponse


class DeletionJobView(ApiModel):
    job_id: str
    tenant_id: str
    status: str = Field(description="queued, running or succeeded")
    requested_at: str
    started_at: str | None = None
    finished_at: str | None = Field(default=None, description="set when nothing of the tenant is left")
    items_removed: dict[str, int] = Field(description="items removed so far, per kind")
    items_removed_total: int
    sweeps: int = Field(description="extra passes over every kind (writes that raced the purge)")
