"""The API's shapes and operations, generated from docs/openapi.json by `make openapi`
(scripts/sdk_models.py).

Do not edit: the suite fails when this module is not what the spec makes. Models accept fields they do not know
(a newer API may add some), so an older SDK keeps working against a newer API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "OPERATIONS",
    "Address",
    "ApiKeyCreateRequest",
    "ApiKeyCreated",
    "ApiKeyList",
    "ApiKeyView",
    "ApiShape",
    "AuditEvent",
    "AuditPage",
    "BatchCheckPage",
    "BatchCheckRef",
    "BatchCounts",
    "BatchCreate",
    "BatchItemProblem",
    "BatchOut",
    "BatchResultRow",
    "BatchResults",
    "CheckOut",
    "CheckPage",
    "CheckTimings",
    "CheckoutOut",
    "CheckoutRequest",
    "CnaeDetail",
    "Contact",
    "DeletionJobView",
    "Error",
    "ErrorInfo",
    "FieldChange",
    "FieldProblem",
    "HealthOut",
    "LegalNature",
    "LoginRequest",
    "LogoutRequest",
    "MeView",
    "Operation",
    "Partner",
    "PlanChangeRequest",
    "PlanList",
    "PlanOut",
    "PortalOut",
    "PriceOut",
    "ProviderAttempt",
    "ProviderStatus",
    "ReadinessOut",
    "RefreshRequest",
    "Report",
    "ReportDiff",
    "RoleChangeRequest",
    "SignupRequest",
    "SignupResponse",
    "StateRegistration",
    "TargetCreate",
    "TargetOut",
    "TargetPage",
    "TargetPatch",
    "TaxOptionDates",
    "TenantView",
    "TierLimits",
    "TokenResponse",
    "UsageCounts",
    "UsageOut",
    "UsageReport",
    "UsageReportDay",
    "UsageReportPrincipal",
    "UsageReportRow",
    "UserInviteRequest",
    "UserList",
    "UserView",
    "WebhookOut",
]


class ApiShape(BaseModel):
    """Base of every generated shape: unknown fields kept, fields settable by name or by their JSON alias."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, serialize_by_alias=True)


class Operation(NamedTuple):
    """One operation of the contract: its method, path template and the model of its success body (or None)."""

    method: str
    path: str
    status: int
    response: str | None


class Address(ApiShape):
    """Establishment address. Street-level fields are dropped for sole proprietors (home addresses)."""

    city: str | None = Field(default=None)
    city_ibge_code: str | None = Field(default=None)
    complement: str | None = Field(default=None)
    country: str | None = Field(default=None)
    district: str | None = Field(default=None)
    number: str | None = Field(default=None)
    state: str | None = Field(default=None)
    street: str | None = Field(default=None)
    street_type: str | None = Field(default=None)
    zip_code: str | None = Field(default=None)


class ApiKeyCreateRequest(ApiShape):
    """ApiKeyCreateRequest"""

    name: str
    role: Literal["admin", "analyst", "viewer"] = Field(default="analyst")


class ApiKeyCreated(ApiShape):
    """ApiKeyCreated"""

    created_at: str
    key: str = Field(description="shown once: store it now")
    key_id: str
    last_used_at: str | None
    name: str
    prefix: str = Field(description="the first characters only; the full key is never shown again")
    revoked: bool
    role: str


class ApiKeyList(ApiShape):
    """ApiKeyList"""

    items: list[ApiKeyView]


class ApiKeyView(ApiShape):
    """ApiKeyView"""

    created_at: str
    key_id: str
    last_used_at: str | None
    name: str
    prefix: str = Field(description="the first characters only; the full key is never shown again")
    revoked: bool
    role: str


class AuditEvent(ApiShape):
    """One audited action: who (user or API key id), what, on what, and how it went (no personal data)."""

    action: str = Field(description="e.g. target.created, apikey.revoked")
    actor: str | None = Field(default=None, description="the user or API key id")
    event_id: str
    outcome: str | None = Field(default=None, description="success or failure")
    principal_type: str | None = Field(default=None, description="user or api_key")
    request_id: str | None = Field(default=None)
    resource: str | None = Field(default=None, description="e.g. target/<id>")
    source_ip: str | None = Field(default=None)
    time: str = Field(description="ISO 8601, UTC")
    user_agent: str | None = Field(default=None)


class AuditPage(ApiShape):
    """AuditPage"""

    items: list[AuditEvent] = Field(description="newest first")
    next_cursor: str | None = Field(default=None)


class BatchCheckPage(ApiShape):
    """A page of a batch's checks, in the order they were submitted."""

    items: list[CheckOut]
    next_cursor: str | None = Field(default=None)


class BatchCheckRef(ApiShape):
    """BatchCheckRef"""

    check_id: str
    cnpj: str
    target_id: str


class BatchCounts(ApiShape):
    """BatchCounts"""

    failed: int = Field(default=0)
    queued: int = Field(default=0)
    running: int = Field(default=0)
    succeeded: int = Field(default=0)


class BatchCreate(ApiShape):
    """A batch as JSON: `{"cnpjs": [...]}` (or the bare array); POST /checks/batch takes a text/csv body too."""

    cnpjs: list[str]


class BatchItemProblem(ApiShape):
    """BatchItemProblem"""

    index: int = Field(description="position of the entry in the batch (0-based: the cnpjs list, or the CSV's rows)")
    input: str = Field(description="the entry as sent (first 32 characters)")
    line: int | None = Field(default=None, description="CSV bodies: the 1-based line of the file")
    message: str
    reason: str


class BatchOut(ApiShape):
    """BatchOut"""

    accepted: int = Field(description="checks queued (counted against the allowance)")
    batch_id: str
    checks: list[BatchCheckRef] | None = Field(
        default=None,
        description="not listed here: GET /checks/batch/{batch_id}/checks pages through them",
    )
    counts: BatchCounts
    created_at: str
    done: bool
    eta_seconds: float | None = Field(
        default=None,
        description="seconds until the rest is expected done, from the providers' capacity model",
    )
    invalid: list[BatchItemProblem] = Field(default_factory=list, description="not valid CNPJs, not counted")
    rejected: list[BatchItemProblem] = Field(
        default_factory=list,
        description="valid CNPJs left out because the monthly allowance ran out",
    )
    submitted: int = Field(description="CNPJs received")
    throughput_per_min: float | None = Field(
        default=None,
        description="checks of this batch finished per minute, measured from its own finishes",
    )


class BatchResultRow(ApiShape):
    """One valid CNPJ of a batch and its outcome (a row of the results download)."""

    check_id: str
    cnpj: str
    failure_reason: str = Field(description="why it failed (empty unless failed)")
    legal_name: str = Field(description="the report's legal name (empty until it succeeded)")
    situation: str = Field(description="the registration status (ATIVA, BAIXADA...; empty until it succeeded)")
    status: str = Field(description="queued, running, succeeded or failed")


class BatchResults(ApiShape):
    """A batch's results as JSON (format=json): one row per valid CNPJ, in submission order."""

    batch_id: str
    items: list[BatchResultRow]


class CheckOut(ApiShape):
    """CheckOut"""

    age_seconds: float | None = Field(
        default=None,
        description="how old the report's data is now: seconds since its provider was asked",
    )
    attempts: int = Field(default=0)
    batch_id: str | None = Field(default=None)
    cached: bool | None = Field(default=None)
    capacity_waits: int = Field(default=0, description="times it waited for provider capacity (not faults)")
    cnpj: str
    cnpj_formatted: str
    created_at: str
    diff: ReportDiff | None = Field(default=None, description="changes since the previous successful report")
    errors: list[ProviderAttempt] | None = Field(default=None, description="per-provider errors of a failed check")
    eta_seconds: float | None = Field(
        default=None,
        description="a check queued because providers were busy: when it is expected to run",
    )
    expires_at: str | None = Field(default=None, description="when retention removes this check and its report")
    failure_reason: str | None = Field(default=None)
    id: str
    mode: str = Field(description="sync or async")
    report: Report | None = Field(default=None)
    source: str | None = Field(default=None, description="the provider (or cache) that produced the report")
    stale: bool | None = Field(
        default=None,
        description="true: no provider could answer, so this is the last good report (see age_seconds)",
    )
    status: str = Field(description="queued, running, succeeded or failed")
    target_id: str
    timings: CheckTimings


class CheckPage(ApiShape):
    """CheckPage"""

    items: list[CheckOut]
    next_cursor: str | None = Field(default=None)


class CheckTimings(ApiShape):
    """CheckTimings"""

    duration_ms: int | None = Field(default=None)
    finished_at: str | None = Field(default=None)
    queued_at: str | None = Field(default=None)
    retry_at: str | None = Field(default=None, description="when a check waiting on rate-limited providers runs again")
    started_at: str | None = Field(default=None)


class CheckoutOut(ApiShape):
    """A first subscription's checkout page (201), or the one subscription moved up, prorated (200)."""

    kind: Literal["checkout", "subscription_update"] = Field(default="checkout", description="which of the two")
    plan: str = Field(description="moves when the provider confirms it (the webhook)")
    session_id: str | None = Field(default=None, description="the checkout session (checkout)")
    subscription_id: str | None = Field(default=None, description="the subscription (subscription_update)")
    url: str = Field(description="the payment page (checkout), or the page to go back to")


class CheckoutRequest(ApiShape):
    """CheckoutRequest"""

    plan: str = Field(description="a paid plan above the tenant's current one")


class CnaeDetail(ApiShape):
    """One CNAE subclass: its 7-digit code and the description the provider sent with it (None when it sent none)."""

    code: str
    description: str | None = Field(default=None)


class Contact(ApiShape):
    """Business contacts as registered; absent (None on the report) for sole proprietors."""

    email: str | None = Field(default=None)
    phones: list[str] = Field(default_factory=list)


class DeletionJobView(ApiShape):
    """DeletionJobView"""

    finished_at: str | None = Field(default=None, description="set when nothing of the tenant is left")
    items_removed: dict[str, int] = Field(description="items removed so far, per kind")
    items_removed_total: int
    job_id: str
    requested_at: str
    started_at: str | None = Field(default=None)
    status: str = Field(description="queued, running or succeeded")
    sweeps: int = Field(description="extra passes over every kind (writes that raced the purge)")
    tenant_id: str


class Error(ApiShape):
    """Every error answer of the API, from the functions (radar.http) and from the gateway alike."""

    error: ErrorInfo


class ErrorInfo(ApiShape):
    """ErrorInfo"""

    code: str = Field(description="machine-readable; each operation's error responses list the codes they carry")
    details: list[FieldProblem] | dict[str, Any] | None = Field(
        default=None,
        description="the fields at fault (validation), or what a limit was (throttling, quota, plan)",
    )
    message: str = Field(description="for people; never a stack trace")


class FieldChange(ApiShape):
    """One report field that changed: its dotted path, the previous value and the new one."""

    field: str = Field(description="dotted path in the report, e.g. address.city")
    from_: Any = Field(default=None, alias="from", description="the previous value (null when it was absent)")
    to: Any = Field(default=None, description="the new value (null when it is gone)")


class FieldProblem(ApiShape):
    """One rejected part of a request: validation errors name each field this way."""

    field: str = Field(description="dotted path of the field (body, a query parameter, a header, cnpjs.3, ...)")
    message: str | None = Field(default=None)
    reason: str | None = Field(default=None, description="machine-readable reason, e.g. missing, string_too_long")


class HealthOut(ApiShape):
    """HealthOut"""

    status: str = Field(description="ok")


class LegalNature(ApiShape):
    """Natureza jurídica: the 4-digit RFB code (e.g. 2054) and its description."""

    code: str | None = Field(default=None)
    description: str | None = Field(default=None)


class LoginRequest(ApiShape):
    """LoginRequest"""

    email: str
    password: str


class LogoutRequest(ApiShape):
    """LogoutRequest"""

    refresh_token: str | None = Field(
        default=None,
        description="required unless the request sends X-Radar-Session: cookie (then the radar_refresh cookie is read)",
    )


class MeView(ApiShape):
    """Who the caller is: any role may read it. For an API key, `user_id` is the key's id and `email` is null."""

    email: str | None
    plan: str
    principal_type: Literal["user", "api_key"]
    role: str
    tenant_id: str
    tenant_name: str
    user_id: str


class Partner(ApiShape):
    """One QSA entry. `document` is the masked CPF (***123456**) as published, a partner CNPJ, or None."""

    age_range: str | None = Field(default=None)
    country: str | None = Field(default=None)
    document: str | None = Field(default=None)
    joined_on: date | None = Field(default=None)
    kind: Literal["PF", "PJ", "FOREIGN"] | None = Field(default=None)
    name: str | None = Field(default=None)
    role: str | None = Field(default=None)
    role_code: str | None = Field(default=None)


class PlanChangeRequest(ApiShape):
    """PlanChangeRequest"""

    plan: str


class PlanList(ApiShape):
    """PlanList"""

    default_plan: str
    items: list[PlanOut]


class PlanOut(ApiShape):
    """PlanOut"""

    checkout: str | None = Field(description="how to buy it (null: not sold)")
    display_name: str
    limits: TierLimits
    plan: str
    price: PriceOut | None = Field(description="null: free")


class PortalOut(ApiShape):
    """PortalOut"""

    url: str = Field(description="the provider's customer portal: card, cancellation, invoices")


class PriceOut(ApiShape):
    """PriceOut"""

    currency: str
    display: str
    interval: str
    unit_amount: int = Field(description="in the currency's smallest unit (centavos)")


class ProviderAttempt(ApiShape):
    """What one provider answered while a check ran (no payload, no personal data)."""

    duration_ms: float | None = Field(default=None)
    message: str | None = Field(default=None)
    outcome: str = Field(description="ok, not_found, invalid, rate_limited, circuit_open, transient or error")
    provider: str | None = Field(default=None)
    status: int | None = Field(default=None, description="the provider's HTTP status, when it answered")


class ProviderStatus(ApiShape):
    """One provider of the chain as the capacity model and its breaker see it now (readiness, ops)."""

    breaker: str = Field(description="closed, open or half_open (shared with the source it proxies)")
    data_lag_seconds: float = Field(description="how old its answers can be, in seconds (dump cycle; 0: live lookup)")
    name: str = Field(description="provider, in the chain's order of preference")
    next_slot_seconds: float = Field(description="seconds until its next free request slot (0: now)")
    outage_group: str = Field(description="the source whose outage takes this provider down")
    per_minute: float | None = Field(description="sustained requests a real minute its schedule allows (null: none)")
    slots_now: float | None = Field(description="requests that could start at once (null: unlimited)")


class ReadinessOut(ApiShape):
    """ReadinessOut"""

    checks: dict[str, str]
    providers: list[ProviderStatus] | None = Field(
        default=None,
        description="each provider's capacity now and its breaker (absent when the cache is unreachable)",
    )
    status: str


class RefreshRequest(ApiShape):
    """RefreshRequest"""

    refresh_token: str | None = Field(
        default=None,
        description="required unless the request sends X-Radar-Session: cookie (then the radar_refresh cookie is read)",
    )


class Report(ApiShape):
    """A normalized CNPJ report; `model_dump(mode="json")` is the stored and returned form."""

    address: Address | None = Field(default=None)
    cnpj: str
    cnpj_formatted: str
    contact: Contact | None = Field(default=None)
    fetched_at: datetime
    head_office: bool | None = Field(default=None)
    legal_name: str | None = Field(default=None)
    legal_nature: LegalNature | None = Field(default=None)
    main_cnae: str | None = Field(default=None)
    main_cnae_description: str | None = Field(default=None)
    mei: bool | None = Field(default=None)
    opened_on: date | None = Field(default=None)
    partial: bool = Field(default=False)
    partial_reasons: list[str] = Field(default_factory=list)
    partners: list[Partner] = Field(default_factory=list)
    personal_data_redacted: bool = Field(default=False)
    secondary_cnae_details: list[CnaeDetail] = Field(default_factory=list)
    secondary_cnaes: list[str] = Field(default_factory=list)
    share_capital: str | None = Field(default=None)
    simples: bool | None = Field(default=None)
    size: Literal["MICRO_EMPRESA", "EMPRESA_DE_PEQUENO_PORTE", "DEMAIS"] | None = Field(default=None)
    source: str
    source_updated_at: datetime | None = Field(default=None)
    state_registrations: list[StateRegistration] = Field(default_factory=list)
    status: Literal["ATIVA", "BAIXADA", "INAPTA", "SUSPENSA", "NULA"] | None = Field(default=None)
    status_date: date | None = Field(default=None)
    status_reason: str | None = Field(default=None)
    tax_option_dates: TaxOptionDates | None = Field(default=None)
    trade_name: str | None = Field(default=None)


class ReportDiff(ApiShape):
    """What changed since the target's previous successful report (radar.checks.diff)."""

    baseline: bool = Field(description="true for a target's first report: nothing to compare with")
    changed: bool
    changes: list[FieldChange] = Field(default_factory=list)
    partners_in: list[Partner] = Field(default_factory=list)
    partners_out: list[Partner] = Field(default_factory=list)
    previous_check_id: str | None = Field(default=None)


class RoleChangeRequest(ApiShape):
    """RoleChangeRequest"""

    role: Literal["admin", "analyst", "viewer"]


class SignupRequest(ApiShape):
    """SignupRequest"""

    email: str
    password: str = Field(description="at least 12 characters, mixing two kinds")
    tenant_name: str = Field(description="the organization's display name")


class SignupResponse(ApiShape):
    """SignupResponse"""

    tenant: TenantView
    tokens: TokenResponse
    user: UserView


class StateRegistration(ApiShape):
    """Inscrição estadual (only CNPJ.ws publishes these)."""

    active: bool | None = Field(default=None)
    number: str
    state: str | None = Field(default=None)
    updated_at: datetime | None = Field(default=None)


class TargetCreate(ApiShape):
    """TargetCreate"""

    cnpj: str = Field(description="masked or bare, numeric or alphanumeric")
    label: str | None = Field(default=None)
    tags: list[str] = Field(default_factory=list)


class TargetOut(ApiShape):
    """TargetOut"""

    cnpj: str = Field(description="14 characters, uppercase")
    cnpj_formatted: str = Field(description="AA.AAA.AAA/AAAA-NN")
    created_at: str
    id: str
    label: str | None = Field(default=None)
    tags: list[str] = Field(default_factory=list)
    updated_at: str


class TargetPage(ApiShape):
    """TargetPage"""

    items: list[TargetOut]
    next_cursor: str | None = Field(default=None)


class TargetPatch(ApiShape):
    """TargetPatch"""

    label: str | None = Field(default=None)
    tags: list[str] | None = Field(default=None)


class TaxOptionDates(ApiShape):
    """When the company opted into / was excluded from Simples Nacional and MEI (SIMEI), when known."""

    mei_excluded_on: date | None = Field(default=None)
    mei_opted_on: date | None = Field(default=None)
    simples_excluded_on: date | None = Field(default=None)
    simples_opted_on: date | None = Field(default=None)


class TenantView(ApiShape):
    """TenantView"""

    created_at: str
    limits: TierLimits
    name: str
    pending_at: str | None = Field(default=None, description="the end of the paid period")
    pending_plan: str | None = Field(default=None, description="a downgrade that takes effect at pending_at")
    plan: str
    tenant_id: str


class TierLimits(ApiShape):
    """TierLimits"""

    burst: int
    monthly_checks: int
    quota: int
    quota_period: str
    rate: float
    retention_days: int


class TokenResponse(ApiShape):
    """TokenResponse"""

    access_token: str
    expires_in: int
    refresh_expires_in: int | None = Field(
        default=None,
        description="cookie mode only: seconds the refresh token lasts",
    )
    refresh_token: str | None = Field(description="null in cookie mode: the token is in the radar_refresh cookie")
    token_type: str = Field(default="Bearer")


class UsageCounts(ApiShape):
    """UsageCounts"""

    by_mode: dict[str, int] = Field(description="sync, async and batch")
    cached: int = Field(description="answered from the shared report cache")
    checks: int = Field(description="checks counted against the allowance (what GET /usage counts)")
    looked_up: int = Field(description="not answered from the cache: a provider lookup, or still in flight")
    unattributed: int = Field(default=0, description="counted before checks recorded who ran them (no split known)")


class UsageOut(ApiShape):
    """UsageOut"""

    allowance: int
    by_day: dict[str, int]
    period: str = Field(description="YYYY-MM (UTC)")
    plan: str
    remaining: int
    resets_at: str
    used: int


class UsageReport(ApiShape):
    """UsageReport"""

    days: list[UsageReportDay] = Field(description="every day of the period (up to today for this month)")
    generated_at: str
    period: str = Field(description="YYYY-MM (UTC)")
    principals: list[UsageReportPrincipal] = Field(description="who ran the checks, most checks first")
    rows: list[UsageReportRow] = Field(description="per day and principal: the CSV's lines")
    totals: UsageCounts


class UsageReportDay(ApiShape):
    """UsageReportDay"""

    by_mode: dict[str, int] = Field(description="sync, async and batch")
    cached: int = Field(description="answered from the shared report cache")
    checks: int = Field(description="checks counted against the allowance (what GET /usage counts)")
    date: str = Field(description="YYYY-MM-DD (UTC)")
    looked_up: int = Field(description="not answered from the cache: a provider lookup, or still in flight")
    unattributed: int = Field(default=0, description="counted before checks recorded who ran them (no split known)")


class UsageReportPrincipal(ApiShape):
    """UsageReportPrincipal"""

    by_mode: dict[str, int] = Field(description="sync, async and batch")
    cached: int = Field(description="answered from the shared report cache")
    checks: int = Field(description="checks counted against the allowance (what GET /usage counts)")
    looked_up: int = Field(description="not answered from the cache: a provider lookup, or still in flight")
    principal_id: str = Field(description="the API key id or the user id")
    principal_type: str = Field(description="api_key or user")
    unattributed: int = Field(default=0, description="counted before checks recorded who ran them (no split known)")


class UsageReportRow(ApiShape):
    """One CSV line: a day and a principal (principal_type `unattributed` for counts without one)."""

    by_mode: dict[str, int] = Field(description="sync, async and batch")
    cached: int = Field(description="answered from the shared report cache")
    checks: int = Field(description="checks counted against the allowance (what GET /usage counts)")
    date: str
    looked_up: int = Field(description="not answered from the cache: a provider lookup, or still in flight")
    principal_id: str
    principal_type: str
    unattributed: int = Field(default=0, description="counted before checks recorded who ran them (no split known)")


class UserInviteRequest(ApiShape):
    """UserInviteRequest"""

    email: str
    password: str = Field(description="initial password; at least 12 characters, two kinds")
    role: Literal["admin", "analyst", "viewer"]


class UserList(ApiShape):
    """UserList"""

    items: list[UserView]


class UserView(ApiShape):
    """UserView"""

    created_at: str
    disabled: bool = Field(default=False)
    email: str
    role: str
    user_id: str


class WebhookOut(ApiShape):
    """WebhookOut"""

    event_id: str
    outcome: Literal["processed", "duplicate", "ignored"]
    received: bool = Field(default=True)
    type: str


# operationId -> the operation, for every operation of the contract.
OPERATIONS: dict[str, Operation] = {
    "changePlan": Operation("PUT", "/tenant/plan", 200, "TenantView"),
    "changeUserRole": Operation("PATCH", "/users/{user_id}", 200, "UserView"),
    "createApiKey": Operation("POST", "/api-keys", 201, "ApiKeyCreated"),
    "createBatch": Operation("POST", "/checks/batch", 202, "BatchOut"),
    "createCheck": Operation("POST", "/targets/{target_id}/checks", 201, "CheckOut"),
    "createCheckout": Operation("POST", "/billing/checkout", 200, "CheckoutOut"),
    "createPortalSession": Operation("POST", "/billing/portal", 200, "PortalOut"),
    "createTarget": Operation("POST", "/targets", 201, "TargetOut"),
    "deleteTarget": Operation("DELETE", "/targets/{target_id}", 204, None),
    "deleteTenant": Operation("DELETE", "/tenant", 202, "DeletionJobView"),
    "disableUser": Operation("DELETE", "/users/{user_id}", 204, None),
    "downloadBatchResults": Operation("GET", "/checks/batch/{batch_id}/results", 200, "BatchResults"),
    "getBatch": Operation("GET", "/checks/batch/{batch_id}", 200, "BatchOut"),
    "getCheck": Operation("GET", "/checks/{check_id}", 200, "CheckOut"),
    "getHealth": Operation("GET", "/health", 200, "HealthOut"),
    "getMe": Operation("GET", "/me", 200, "MeView"),
    "getReadiness": Operation("GET", "/health/ready", 200, "ReadinessOut"),
    "getTarget": Operation("GET", "/targets/{target_id}", 200, "TargetOut"),
    "getTenant": Operation("GET", "/tenant", 200, "TenantView"),
    "getTenantDeletion": Operation("GET", "/tenant/deletion", 200, "DeletionJobView"),
    "getUsage": Operation("GET", "/usage", 200, "UsageOut"),
    "getUsageReport": Operation("GET", "/usage/report", 200, "UsageReport"),
    "inviteUser": Operation("POST", "/users", 201, "UserView"),
    "listApiKeys": Operation("GET", "/api-keys", 200, "ApiKeyList"),
    "listAuditEvents": Operation("GET", "/audit", 200, "AuditPage"),
    "listBatchChecks": Operation("GET", "/checks/batch/{batch_id}/checks", 200, "BatchCheckPage"),
    "listChecks": Operation("GET", "/targets/{target_id}/checks", 200, "CheckPage"),
    "listPlans": Operation("GET", "/billing/plans", 200, "PlanList"),
    "listTargets": Operation("GET", "/targets", 200, "TargetPage"),
    "listUsers": Operation("GET", "/users", 200, "UserList"),
    "login": Operation("POST", "/auth/login", 200, "TokenResponse"),
    "logout": Operation("POST", "/auth/logout", 204, None),
    "patchTarget": Operation("PATCH", "/targets/{target_id}", 200, "TargetOut"),
    "receiveWebhook": Operation("POST", "/billing/webhook", 200, "WebhookOut"),
    "refresh": Operation("POST", "/auth/refresh", 200, "TokenResponse"),
    "revokeApiKey": Operation("DELETE", "/api-keys/{key_id}", 204, None),
    "revokeUserSessions": Operation("POST", "/users/{user_id}/sessions/revoke", 204, None),
    "signup": Operation("POST", "/auth/signup", 201, "SignupResponse"),
}


for _model in list(globals().values()):
    if isinstance(_model, type) and issubclass(_model, ApiShape) and _model is not ApiShape:
        _model.model_rebuild()
