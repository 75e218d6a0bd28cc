"""What every CNPJ provider shares: the Provider protocol, its settings, HTTP calls with bounded retries."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from pydantic import Field

from radar.cnpj import Cnpj
from radar.observability import logger, redact
from radar.providers.errors import (
    BODY_EXCERPT_CHARS,
    ProviderBadResponse,
    ProviderBlocked,
    ProviderError,
    ProviderInvalidCnpj,
    ProviderNotFound,
    ProviderRateLimited,
    ProviderTransient,
)
from radar.report import Report
from radar.settings import EnvSettings

if TYPE_CHECKING:
    import httpx

__all__ = [
    "BaseUrlSettings",
    "HttpProvider",
    "KeylessProvider",
    "LazyClient",
    "Provider",
    "ProviderSettings",
    "RemainingMs",
    "TokenSource",
    "body_excerpt",
    "is_challenge",
    "normalized",
    "parse_retry_after",
]

RemainingMs = Callable[[], int]
TokenSource = Callable[[], "str | None"]

USER_AGENT = "cnpj-radar/0.1 (+https://github.com/cnpj-radar)"


class Provider(Protocol):
    """A CNPJ data source. `lookup` returns a normalized report or raises a ProviderError subclass."""

    name: str

    def lookup(self, cnpj: Cnpj, *, remaining_ms: RemainingMs | None = None) -> Report: ...


class ProviderSettings(EnvSettings):
    """What every HTTP provider reads from the environment; each provider's settings add its own endpoints."""

    connect_timeout: float = Field(default=2.0, gt=0, alias="PROVIDER_CONNECT_TIMEOUT")
    read_timeout: float = Field(default=5.0, gt=0, alias="PROVIDER_READ_TIMEOUT")

    def timeouts(self) -> dict[str, float]:
        """The HttpProvider keyword arguments these settings fix."""
        return {"connect_timeout": self.connect_timeout, "read_timeout": self.read_timeout}


class BaseUrlSettings(ProviderSettings):
    """Settings of a provider with one endpoint: each subclass gives `base_url` its default and its variable."""

    base_url: str


def is_challenge(headers: Mapping[str, str]) -> bool:
    """Cloudflare marks its bot challenges with `cf-mitigated: challenge`."""
    return str(headers.get("cf-mitigated", "")).strip().lower() == "challenge"


def body_excerpt(text: str) -> str:
    """The start of a response body, single-spaced, with CPF and e-mail patterns masked."""
    flat = " ".join(text[: BODY_EXCERPT_CHARS * 2].split())
    return str(redact(flat))[:BODY_EXCERPT_CHARS]


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


# How long a token read by `prepare` serves the lookup that follows it (the chain calls one right after the other).
_PREPARED_SECONDS = 30.0


class LazyClient:
    """One httpx.Client per provider module, created on first use and reused by warm invocations."""

    def __init__(self) -> None:
        self._client: httpx.Client | None = None

    def get(self) -> httpx.Client:
        if self._client is None or self._client.is_closed:
            import httpx

            self._client = httpx.Client(
                headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
                follow_redirects=False,
                limits=httpx.Limits(max_connections=10, max_keepalive_connections=5, keepalive_expiry=60),
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


class HttpProvider:
    """GET one URL per CNPJ with short timeouts and retries (exponential backoff, full jitter, Retry-After),
    bounded by the invocation's remaining time. Subclasses say where to call and how to read the answer."""

    name: str = "http"
    # Time kept back for the caller after the provider gives up (cache write, response).
    reserve_seconds: ClassVar[float] = 1.0
    # An attempt with less time than this is not worth starting.
    min_attempt_seconds: ClassVar[float] = 0.3

    def __init__(
        self,
        *,
        base_url: str,
        client: LazyClient,
        connect_timeout: float = 2.0,
        read_timeout: float = 5.0,
        max_attempts: int = 3,
        backoff_base: float = 0.25,
        backoff_cap: float = 4.0,
        max_retry_after: float = 10.0,
        token_source: TokenSource | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._client = client
        self._token_source = token_source
        self._sleep = sleep
        self._jitter = jitter
        self._prepared = threading.local()  # the token `prepare` read for this thread's next lookup
        # Set by the chain: takes (waits for) a rate-limit slot before each retry, given the seconds left; False =
        # no slot in time, so the retry is not sent. The first attempt's slot is the chain's.
        self.attempt_gate: Callable[[float | None], bool] | None = None

    # --- what subclasses define ---
    def build_request(self, cnpj: Cnpj, token: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
        """(url, query params, headers) for one lookup."""
        raise NotImplementedError

    def read_success(self, payload: Any, cnpj: Cnpj, status: int) -> Report:
        """A 200 JSON body as a report, or a raised ProviderError (e.g. ReceitaWS's 200 status: ERROR)."""
        raise NotImplementedError

    def classify_error(self, status: int, payload: Any, excerpt: str, headers: Mapping[str, str]) -> ProviderError:
        """The typed error for a non-200 answer; the default follows the common REST meanings."""
        retry_after = parse_retry_after(headers.get("retry-after"))
        common: dict[str, Any] = {
            "provider": self.name,
            "status": status,
            "body_excerpt": excerpt,
            "retry_after": retry_after,
        }
        if status in (400, 422):
            return ProviderInvalidCnpj("provider rejected the CNPJ", **common)
        if status == 404:
            return ProviderNotFound("provider has no record for the CNPJ", **common)
        if status == 429:
            return ProviderRateLimited("provider rate limit reached", **common)
        if status == 408 or status >= 500:
            return ProviderTransient(f"provider answered HTTP {status}", **common)
        if status == 403 and (payload is None or is_challenge(headers)):
            # A bot-protection page (Cloudflare/Vercel) instead of JSON: it will not clear in seconds.
            return ProviderBlocked("blocked by bot protection", **common)
        return ProviderBadResponse(f"unexpected HTTP {status}", **common)

    # --- the call ---
    def prepare(self) -> None:
        """What a call needs besides the call itself (the HTTP client, the token), for the chain to get ready before it
        takes this provider's request slot: a client built or a token read from Secrets Manager after the slot (a
        cold start, the token cache expiring) sends the request late, into the window of the slots that follow. The
        token read, or its failure, is kept for this thread's next `lookup` (for a little while)."""
        self._client.get()
        if self._token_source is not None:
            try:
                self._prepared.token = (time.monotonic(), self._token_source(), None)
            except ProviderError as error:
                self._prepared.token = (time.monotonic(), None, error)

    def _token(self) -> str | None:
        prepared = getattr(self._prepared, "token", None)
        self._prepared.token = None
        if prepared is not None and time.monotonic() - prepared[0] <= _PREPARED_SECONDS:
            if prepared[2] is not None:
                raise prepared[2]
            return prepared[1]
        return self._token_source() if self._token_source else None

    def lookup(self, cnpj: Cnpj, *, remaining_ms: RemainingMs | None = None) -> Report:
        token = self._token()
        url, params, headers = self.build_request(cnpj, token or None)
        last_error: ProviderError | None = None
        for attempt in range(1, self.max_attempts + 1):
            budget = self._budget(remaining_ms)
            if budget is not None and budget < self.min_attempt_seconds:
                raise last_error or ProviderTransient("no time left for a provider call", provider=self.name)
            try:
                return self._attempt(cnpj, url, params, headers, budget)
            except ProviderError as error:
                last_error = error
            if not last_error.retryable or attempt == self.max_attempts:
                raise last_error
            if self.attempt_gate is not None and last_error.outcome == "rate_limited":
                raise last_error  # in a chain: it pauses this provider's schedule and asks the next one instead
            delay = self._delay(attempt, last_error.retry_after)
            budget = self._budget(remaining_ms)
            if delay is None or (budget is not None and delay + self.min_attempt_seconds > budget):
                raise last_error
            logger.info(
                "provider retry",
                extra={
                    "provider": self.name,
                    "status": last_error.http_status,
                    "outcome": last_error.outcome,
                    "attempt": attempt,
                    "delay_s": round(delay, 3),
                },
            )
            self._sleep(delay)
            # The slot is taken right before sending: a request sent later than its slot could crowd the next window.
            if self.attempt_gate is not None:
                left = self._budget(remaining_ms)
                if not self.attempt_gate(None if left is None else left - self.min_attempt_seconds):
                    raise last_error
        raise last_error or ProviderTransient("no attempt made", provider=self.name)  # pragma: no cover

    def _budget(self, remaining_ms: RemainingMs | None) -> float | None:
        if remaining_ms is None:
            return None
        return remaining_ms() / 1000.0 - self.reserve_seconds

    def _delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Full jitter, uniform(0, min(cap, base * 2^attempt)), not before Retry-After; None = give up."""
        delay = self._jitter() * min(self.backoff_cap, self.backoff_base * 2**attempt)
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            delay = max(delay, retry_after)
        return delay

    def _attempt(
        self, cnpj: Cnpj, url: str, params: dict[str, str], headers: dict[str, str], budget: float | None
    ) -> Report:
        import httpx

        connect = self.connect_timeout if budget is None else min(self.connect_timeout, budget)
        read = self.read_timeout if budget is None else min(self.read_timeout, budget)
        timeout = httpx.Timeout(connect=connect, read=read, write=read, pool=connect)
        try:
            response = self._client.get().get(url, params=params, headers=headers, timeout=timeout)
        except httpx.TimeoutException as exc:
            raise ProviderTransient(f"timed out ({type(exc).__name__})", provider=self.name) from exc
        except httpx.TransportError as exc:
            raise ProviderTransient(f"connection failed ({type(exc).__name__})", provider=self.name) from exc
        payload = _json_or_none(response)
        if response.status_code == 200:
            if payload is None:
                # Cloudflare challenge pages and plain-text errors can come back as 200.
                raise ProviderTransient(
                    "non-JSON body on HTTP 200",
                    provider=self.name,
                    status=200,
                    body_excerpt=body_excerpt(response.text),
                    retryable=False,
                )
            return self.read_success(payload, cnpj, response.status_code)
        raise self.classify_error(response.status_code, payload, body_excerpt(response.text), response.headers)


class KeylessProvider(HttpProvider):
    """A free provider without a token: GET {base_url}{path}, answers read by `normalize`.

    A subclass names its settings (a BaseUrlSettings subclass: which variable holds the base URL), its default base
    URL, its module's LazyClient, its path template and its normalizer.
    """

    settings_class: ClassVar[type[BaseUrlSettings]]
    default_base_url: ClassVar[str]
    http: ClassVar[LazyClient]
    path: ClassVar[str] = "/{cnpj}"

    def __init__(self, *, base_url: str | None = None, **options: Any) -> None:
        options.setdefault("client", self.http)
        super().__init__(base_url=base_url or self.default_base_url, **options)

    @classmethod
    def from_environ(
        cls, environ: Mapping[str, str] | None = None, *, token_source: TokenSource | None = None, **options: Any
    ) -> Self:
        settings = cls.settings_class.from_environ(environ)
        return cls(base_url=settings.base_url, token_source=token_source, **settings.timeouts(), **options)

    def build_request(self, cnpj: Cnpj, token: str | None) -> tuple[str, dict[str, str], dict[str, str]]:
        return f"{self.base_url}{self.path.format(cnpj=cnpj.value)}", {}, {}

    def normalize(self, payload: Any, expected_cnpj: str) -> Report:
        """The provider's 200 body as a report (raises MalformedPayload for a body that is no record)."""
        raise NotImplementedError

    def read_success(self, payload: Any, cnpj: Cnpj, status: int) -> Report:
        return normalized(self.name, lambda: self.normalize(payload, cnpj.value))


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def normalized(provider: str, build: Callable[[], Report]) -> Report:
    """Run a normalizer; a body we cannot read as a company record becomes a typed ProviderBadResponse."""
    from pydantic import ValidationError

    from radar.normalize.common import MalformedPayload

    try:
        return build()
    except (MalformedPayload, ValidationError) as exc:
        # The message names the problem, never the payload's content.
        reason = str(exc) if isinstance(exc, MalformedPayload) else f"{exc.error_count()} invalid field(s)"
        raise ProviderBadResponse(f"unreadable company record: {reason}", provider=provider, status=200) from exc
