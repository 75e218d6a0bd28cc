"""The API client: credentials (API key, or a session refreshed transparently), retries, pages and waits."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from radar_sdk import models
from radar_sdk.errors import (
    QUOTA_CODES,
    ApiError,
    RadarSdkError,
    TransportError,
    WaitTimeout,
    error_from_response,
)

__all__ = ["DEFAULT_API_URL", "FINAL_STATUSES", "NOT_FOR_CLIENTS", "Client", "RetryPolicy", "Tokens"]

DEFAULT_API_URL = "http://127.0.0.1:3000"
FINAL_STATUSES = frozenset({"succeeded", "failed"})
# Refresh a session this long before its access token expires, so a request never goes out with a stale token.
REFRESH_MARGIN_S = 30.0
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# A 503 that is the API's final word on the request (the check was recorded failed): asking again runs a new check.
_FINAL_5XX_CODES = frozenset({"providers_unavailable"})

M = TypeVar("M", bound=BaseModel)


@dataclass
class Tokens:
    """A session: the access token, the refresh token that renews it, and when the access token expires (epoch s)."""

    access_token: str
    refresh_token: str
    expires_at: float = 0.0

    @classmethod
    def from_response(cls, body: models.TokenResponse, now: float | None = None) -> Tokens:
        if not body.refresh_token:  # only a browser's cookie mode leaves it out, and the SDK never asks for that mode
            raise RadarSdkError("the API answered no refresh token")
        return cls(body.access_token, body.refresh_token, (now or time.time()) + body.expires_in)

    def expiring(self, now: float | None = None) -> bool:
        return bool(self.expires_at) and (now or time.time()) >= self.expires_at - REFRESH_MARGIN_S


@dataclass(frozen=True)
class RetryPolicy:
    """When to ask again. 429 `rate_limited` is retried for any method (the gateway refused it before it ran);
    502/503/504 and network errors only for idempotent requests (GET, PUT, DELETE, or any request with an
    Idempotency-Key). The API's Retry-After wins over the backoff; a wait longer than `max_wait_s` is not made, the
    error is raised instead. 429 `quota_exceeded` / `allowance_exceeded` are never retried: they last."""

    max_retries: int = 5
    backoff_s: float = 0.5
    max_backoff_s: float = 8.0
    max_wait_s: float = 60.0

    def backoff(self, attempt: int) -> float:
        return float(min(self.max_backoff_s, self.backoff_s * 2**attempt) * random.uniform(0.5, 1.0))


@dataclass
class _Session:
    tokens: Tokens | None = None
    on_tokens: Callable[[Tokens], None] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


# Operations of the contract that clients do not call, and why (every other operation has a method of Client).
NOT_FOR_CLIENTS = {"receiveWebhook": "the billing provider calls it, signed with the webhook secret"}


class Client:
    """One tenant's view of the API.

    `Client(url, api_key=...)` for machines; `Client.login(url, email, password)` (or `tokens=`) for people: the
    access token is refreshed before it expires and once more after a 401, and `on_tokens` hears of every new pair
    (the CLI stores them). Methods are named after the contract's operation ids (`listTargets` -> `list_targets`)
    and return its models (`radar_sdk.models`); errors raise `radar_sdk.errors.ApiError` subclasses.
    """

    def __init__(
        self,
        base_url: str = DEFAULT_API_URL,
        *,
        api_key: str | None = None,
        tokens: Tokens | None = None,
        on_tokens: Callable[[Tokens], None] | None = None,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = "cnpj-radar-sdk/0.1",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self._session = _Session(tokens=tokens, on_tokens=on_tokens)
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport, headers={"User-Agent": user_agent}
        )

    # --- lifecycle -------------------------------------------------------------------------------------------------
    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def tokens(self) -> Tokens | None:
        return self._session.tokens

    # --- sessions --------------------------------------------------------------------------------------------------
    @classmethod
    def signup(
        cls, base_url: str, tenant_name: str, email: str, password: str, **options: Any
    ) -> tuple[Client, models.SignupResponse]:
        """Create a tenant (free plan) and its admin; returns a client signed in as that admin, and the answer."""
        client = cls(base_url, **options)
        body = client._call("signup", json={"tenant_name": tenant_name, "email": email, "password": password})
        assert isinstance(body, models.SignupResponse)
        client._set_tokens(Tokens.from_response(body.tokens))
        return client, body

    @classmethod
    def login(cls, base_url: str, email: str, password: str, **options: Any) -> Client:
        """A client signed in with e-mail and password (its session is refreshed as needed)."""
        client = cls(base_url, **options)
        body = client._call("login", json={"email": email, "password": password})
        assert isinstance(body, models.TokenResponse)
        client._set_tokens(Tokens.from_response(body))
        return client

    def refresh(self) -> Tokens:
        """Rotate the session's refresh token into a new pair now (the client also does this by itself)."""
        session = self._session
        if session.tokens is None:
            raise RadarSdkError("this client has no session to refresh (it uses an API key)")
        used = session.tokens.refresh_token
        with session.lock:
            if session.tokens.refresh_token != used:  # another thread refreshed while this one waited
                return session.tokens
            response = self._send("POST", "/auth/refresh", json={"refresh_token": used}, auth=False)
            if response.status_code != 200:
                raise error_from_response(response)
            tokens = Tokens.from_response(models.TokenResponse.model_validate(response.json()))
            self._set_tokens(tokens)
            return tokens

    def logout(self) -> None:
        """Revoke the session's refresh token family."""
        if self._session.tokens is not None:
            self._call("logout", json={"refresh_token": self._session.tokens.refresh_token})

    def _set_tokens(self, tokens: Tokens) -> None:
        self._session.tokens = tokens
        if self._session.on_tokens is not None:
            self._session.on_tokens(tokens)

    def _auth_headers(self) -> dict[str, str]:
        if self.api_key:
            return {"x-api-key": self.api_key}
        if self._session.tokens is not None:
            return {"Authorization": f"Bearer {self._session.tokens.access_token}"}
        return {}

    # --- requests --------------------------------------------------------------------------------------------------
    def _send(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})
        if auth:
            headers.update(self._auth_headers())
        return self._http.request(method, path, headers=headers, **kwargs)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        content: str | bytes | None = None,
    ) -> httpx.Response:
        """One call with credentials, refresh and retries; returns the final answer (errors raised as ApiError).
        `content` is a raw body (a CSV batch) sent instead of `json`, with the Content-Type `headers` give it."""
        method = method.upper()
        headers = dict(headers or {})
        safe = method in _SAFE_METHODS or any(k.lower() == "idempotency-key" for k in headers)
        params = {k: v for k, v in (params or {}).items() if v is not None}
        attempt, refreshed = 0, False
        while True:
            session = self._session.tokens
            if not self.api_key and session is not None and session.expiring():
                self.refresh()
                refreshed = True
            try:
                body: dict[str, Any] = {"content": content} if content is not None else {"json": json}
                response = self._send(method, path, params=params, headers=headers, **body)
            except httpx.TransportError as exc:
                if safe and attempt < self.retry.max_retries:
                    self._sleep(self.retry.backoff(attempt))
                    attempt += 1
                    continue
                raise TransportError(f"{method} {self.base_url}{path}: {exc}") from exc
            status = response.status_code
            if status == 401 and not self.api_key and self._session.tokens is not None and not refreshed:
                self.refresh()  # an access token revoked or expired early: one refresh, then the same request again
                refreshed = True
                continue
            if status < 400:
                return response
            error = error_from_response(response)
            if attempt < self.retry.max_retries and self._retryable(error, safe):
                wait = error.retry_after if error.retry_after is not None else self.retry.backoff(attempt)
                if wait <= self.retry.max_wait_s:
                    self._sleep(wait)
                    attempt += 1
                    continue
            raise error

    @staticmethod
    def _retryable(error: ApiError, safe: bool) -> bool:
        if error.status == 429:
            return error.code not in QUOTA_CODES
        return error.status in (502, 503, 504) and safe and error.code not in _FINAL_5XX_CODES

    def _call(
        self,
        operation_id: str,
        *,
        path_params: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        content: str | bytes | None = None,
    ) -> Any:
        """Call one operation of the contract by its id; the success body parsed into its model (None for 204)."""
        operation = models.OPERATIONS[operation_id]
        path = operation.path.format(**{k: _segment(v) for k, v in (path_params or {}).items()})
        if isinstance(json, BaseModel):
            json = json.model_dump(mode="json", by_alias=True, exclude_none=True)
        response = self.request(operation.method, path, params=params, json=json, headers=headers, content=content)
        if operation.response is None or response.status_code == 204:
            return None
        model: type[BaseModel] = getattr(models, operation.response)
        try:
            return model.model_validate(response.json())
        except (ValueError, PydanticValidationError) as exc:
            raise RadarSdkError(f"{operation_id}: the answer is not a {operation.response}: {exc}") from exc

    def _pages(self, operation_id: str, params: Mapping[str, Any], **call: Any) -> Iterator[Any]:
        cursor: str | None = None
        while True:
            page = self._call(operation_id, params={**params, "cursor": cursor}, **call)
            yield from page.items
            cursor = page.next_cursor
            if not cursor:
                return

    # --- operations (one per operationId of docs/openapi.json) -----------------------------------------------------
    def get_health(self) -> models.HealthOut:
        return self._call("getHealth")  # type: ignore[no-any-return]

    def get_readiness(self) -> models.ReadinessOut:
        return self._call("getReadiness")  # type: ignore[no-any-return]

    def list_api_keys(self) -> models.ApiKeyList:
        return self._call("listApiKeys")  # type: ignore[no-any-return]

    def create_api_key(self, name: str, role: str = "analyst") -> models.ApiKeyCreated:
        """A new API key; `.key` is shown only in this answer."""
        return self._call("createApiKey", json={"name": name, "role": role})  # type: ignore[no-any-return]

    def revoke_api_key(self, key_id: str) -> None:
        self._call("revokeApiKey", path_params={"key_id": key_id})

    def list_users(self) -> models.UserList:
        return self._call("listUsers")  # type: ignore[no-any-return]

    def invite_user(self, email: str, role: str, password: str) -> models.UserView:
        return self._call(  # type: ignore[no-any-return]
            "inviteUser", json={"email": email, "role": role, "password": password}
        )

    def change_user_role(self, user_id: str, role: str) -> models.UserView:
        """Change a user's role (admin); the last admin cannot be demoted (409 `last_admin`)."""
        return self._call(  # type: ignore[no-any-return]
            "changeUserRole", path_params={"user_id": user_id}, json={"role": role}
        )

    def disable_user(self, user_id: str) -> None:
        """Disable a user (admin): their sessions end and the API keys they created are revoked."""
        self._call("disableUser", path_params={"user_id": user_id})

    def revoke_user_sessions(self, user_id: str) -> None:
        """Sign a user out everywhere (themselves, or anyone for an admin)."""
        self._call("revokeUserSessions", path_params={"user_id": user_id})

    def get_me(self) -> models.MeView:
        """Who the caller is: user or API key, role, tenant and plan."""
        return self._call("getMe")  # type: ignore[no-any-return]

    def get_tenant(self) -> models.TenantView:
        return self._call("getTenant")  # type: ignore[no-any-return]

    def change_plan(self, plan: str) -> models.TenantView:
        return self._call("changePlan", json={"plan": plan})  # type: ignore[no-any-return]

    def delete_tenant(self) -> models.DeletionJobView:
        """Start the tenant's deletion (admin): every credential stops at once; the job purges the data. Repeating
        it answers the same job."""
        return self._call("deleteTenant")  # type: ignore[no-any-return]

    def get_tenant_deletion(self) -> models.DeletionJobView:
        """The deletion job's progress (the deleting admin only, while their credential lasts)."""
        return self._call("getTenantDeletion")  # type: ignore[no-any-return]

    def list_plans(self) -> models.PlanList:
        """Every plan with its price and limits (public: no credentials needed)."""
        return self._call("listPlans")  # type: ignore[no-any-return]

    def create_checkout(self, plan: str) -> models.CheckoutOut:
        """A hosted payment page for `plan` (admin); the plan changes when the payment is confirmed."""
        return self._call("createCheckout", json={"plan": plan})  # type: ignore[no-any-return]

    def create_portal_session(self) -> models.PortalOut:
        """The billing provider's customer portal (card, cancellation, invoices) for this tenant (admin)."""
        return self._call("createPortalSession")  # type: ignore[no-any-return]

    def list_targets(self, *, limit: int = 20, cursor: str | None = None) -> models.TargetPage:
        return self._call("listTargets", params={"limit": limit, "cursor": cursor})  # type: ignore[no-any-return]

    def iter_targets(self, *, page_size: int = 100) -> Iterator[models.TargetOut]:
        """Every target, newest first, page after page."""
        return self._pages("listTargets", {"limit": page_size})

    def create_target(
        self, cnpj: str, *, label: str | None = None, tags: list[str] | None = None
    ) -> models.TargetOut:
        body = models.TargetCreate(cnpj=cnpj, label=label, tags=tags or [])
        return self._call("createTarget", json=body)  # type: ignore[no-any-return]

    def ensure_target(
        self, cnpj: str, *, label: str | None = None, tags: list[str] | None = None
    ) -> tuple[models.TargetOut, bool]:
        """The tenant's target for `cnpj`: created, or the existing one (one target per CNPJ). (target, created)."""
        from radar_sdk.errors import ConflictError

        try:
            return self.create_target(cnpj, label=label, tags=tags), True
        except ConflictError as exc:
            existing = exc.detail("existing_id")
            if exc.code != "target_exists" or not existing:
                raise
            return self.get_target(str(existing)), False

    def get_target(self, target_id: str) -> models.TargetOut:
        return self._call("getTarget", path_params={"target_id": target_id})  # type: ignore[no-any-return]

    def patch_target(
        self, target_id: str, *, label: str | None = None, tags: list[str] | None = None
    ) -> models.TargetOut:
        body = {k: v for k, v in {"label": label, "tags": tags}.items() if v is not None}
        return self._call(  # type: ignore[no-any-return]
            "patchTarget", path_params={"target_id": target_id}, json=body
        )

    def delete_target(self, target_id: str) -> None:
        self._call("deleteTarget", path_params={"target_id": target_id})

    def create_check(
        self,
        target_id: str,
        *,
        run_async: bool = False,
        refresh: bool = False,
        idempotency_key: str | None = None,
        max_age: str | int | None = None,
        max_stale: str | int | None = None,
        on_busy: str | None = None,
    ) -> models.CheckOut:
        """Run a check now (the report in the answer) or queue it (`run_async`). An Idempotency-Key is sent (a new
        one unless given), so the client's retries never run a second check. `max_age` (seconds or "7d"): a cached
        report older than that is not used; `max_stale`: how old a report served when every provider is down may be
        (0: never; the answer says `stale`); `on_busy="fail"`: a 503 instead of a queued check when providers are
        busy."""
        return self._call(  # type: ignore[no-any-return]
            "createCheck",
            path_params={"target_id": target_id},
            params={
                "async": "true" if run_async else None,
                "refresh": "true" if refresh else None,
                "max_age": None if max_age is None else str(max_age),
                "max_stale": None if max_stale is None else str(max_stale),
                "on_busy": on_busy,
            },
            headers={"Idempotency-Key": idempotency_key or str(uuid.uuid4())},
        )

    def list_checks(self, target_id: str, *, limit: int = 20, cursor: str | None = None) -> models.CheckPage:
        return self._call(  # type: ignore[no-any-return]
            "listChecks", path_params={"target_id": target_id}, params={"limit": limit, "cursor": cursor}
        )

    def iter_checks(self, target_id: str, *, page_size: int = 100) -> Iterator[models.CheckOut]:
        """A target's whole check history, newest first."""
        return self._pages("listChecks", {"limit": page_size}, path_params={"target_id": target_id})

    def get_check(self, check_id: str) -> models.CheckOut:
        return self._call("getCheck", path_params={"check_id": check_id})  # type: ignore[no-any-return]

    def create_batch(self, cnpjs: list[str]) -> models.BatchOut:
        """Queue checks for CNPJs (up to BATCH_MAX_ITEMS); invalid and repeated entries come back by index. The
        checks are listed by iter_batch_checks."""
        return self._call("createBatch", json={"cnpjs": list(cnpjs)})  # type: ignore[no-any-return]

    def create_batch_csv(self, csv_text: str | bytes) -> models.BatchOut:
        """Queue checks for a CSV file's CNPJs as it is (one a line, optional header, `;` `,` or tab separated with a
        cnpj column); invalid lines come back with their line number."""
        return self._call(  # type: ignore[no-any-return]
            "createBatch", content=csv_text, headers={"Content-Type": "text/csv; charset=utf-8"}
        )

    def get_batch(self, batch_id: str) -> models.BatchOut:
        """Counts, `throughput_per_min` (measured) and `eta_seconds` (the providers' capacity model)."""
        return self._call("getBatch", path_params={"batch_id": batch_id})  # type: ignore[no-any-return]

    def list_batch_checks(
        self, batch_id: str, *, status: str | None = None, limit: int = 50, cursor: str | None = None
    ) -> models.BatchCheckPage:
        return self._call(  # type: ignore[no-any-return]
            "listBatchChecks",
            path_params={"batch_id": batch_id},
            params={"status": status, "limit": limit, "cursor": cursor},
        )

    def download_batch_results(self, batch_id: str, *, fmt: str = "csv") -> str:
        """The batch's results as the API writes them: CSV (cnpj, status, legal_name, situation, failure_reason,
        check_id; a header line) or a JSON array of those rows."""
        operation = models.OPERATIONS["downloadBatchResults"]
        path = operation.path.format(batch_id=_segment(batch_id))
        return self.request(operation.method, path, params={"format": fmt}).text

    def get_usage(self) -> models.UsageOut:
        return self._call("getUsage")  # type: ignore[no-any-return]

    def get_usage_report(self, period: str | None = None) -> models.UsageReport:
        """A month's consumption report (admin): checks per day, mode, cache and principal; `period` is YYYY-MM
        (default: this month)."""
        return self._call("getUsageReport", params={"period": period})  # type: ignore[no-any-return]

    def download_usage_report(self, period: str | None = None) -> str:
        """The same report as CSV (one line per day and principal, with a header), as the API writes it."""
        operation = models.OPERATIONS["getUsageReport"]
        params = {"period": period} if period else None
        return self.request(operation.method, operation.path, params=params, headers={"Accept": "text/csv"}).text

    def list_audit_events(
        self,
        *,
        start: str | None = None,
        end: str | None = None,
        action: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> models.AuditPage:
        params = {"start": start, "end": end, "action": action, "limit": limit, "cursor": cursor}
        return self._call("listAuditEvents", params=params)  # type: ignore[no-any-return]

    def iter_audit_events(
        self, *, start: str | None = None, end: str | None = None, action: str | None = None, page_size: int = 100
    ) -> Iterator[models.AuditEvent]:
        return self._pages("listAuditEvents", {"start": start, "end": end, "action": action, "limit": page_size})

    # --- waiting ---------------------------------------------------------------------------------------------------
    def wait_for_check(
        self,
        check: models.CheckOut | str,
        *,
        timeout_s: float = 600.0,
        poll_s: float = 1.0,
        on_poll: Callable[[models.CheckOut], None] | None = None,
    ) -> models.CheckOut:
        """Poll a queued check until it succeeded or failed; raises WaitTimeout (with the last state) after
        `timeout_s`. Polls every `poll_s`, slowing to 5 s for a check that waits on rate-limited providers."""
        check_id = check if isinstance(check, str) else check.id
        deadline = time.monotonic() + timeout_s
        current = check if isinstance(check, models.CheckOut) else self.get_check(check_id)
        while current.status not in FINAL_STATUSES:
            if on_poll is not None:
                on_poll(current)
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"check {check_id} is still {current.status} after {timeout_s:g} s", current)
            waiting = current.timings.retry_at is not None
            self._sleep(min(5.0 if waiting else poll_s, max(0.0, deadline - time.monotonic())))
            current = self.get_check(check_id)
        return current

    def wait_for_batch(
        self,
        batch: models.BatchOut | str,
        *,
        timeout_s: float = 1800.0,
        poll_s: float = 2.0,
        on_progress: Callable[[models.BatchOut], None] | None = None,
    ) -> models.BatchOut:
        """Poll a batch until every accepted check is final; `on_progress` sees each state (the last one too)."""
        batch_id = batch if isinstance(batch, str) else batch.batch_id
        deadline = time.monotonic() + timeout_s
        while True:
            current = self.get_batch(batch_id)
            if on_progress is not None:
                on_progress(current)
            if current.done:
                return current
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"batch {batch_id} is not done after {timeout_s:g} s", current)
            self._sleep(min(poll_s, max(0.0, deadline - time.monotonic())))

    # --- a batch's checks ------------------------------------------------------------------------------------------
    def iter_batch_checks(
        self, batch: models.BatchOut | str, *, status: str | None = None, page_size: int = 100
    ) -> Iterator[models.CheckOut]:
        """Every check of a batch in submission order (optionally only those with `status`), page by page."""
        batch_id = batch if isinstance(batch, str) else batch.batch_id
        return self._pages(
            "listBatchChecks", {"status": status, "limit": page_size}, path_params={"batch_id": batch_id}
        )


def _segment(value: str) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")
