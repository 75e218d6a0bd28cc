"""HTTP answers and the pieces several providers share: Cloudflare's pages (challenge, rate limit, origin down),
re-aiming a captured error body at another CNPJ, a body cut in half, Retry-After values."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from radar.cnpj import format_cnpj

__all__ = [
    "JSON_TYPE",
    "Answer",
    "challenge_page",
    "cloudflare_error",
    "cloudflare_rate_limited",
    "masked_or_raw",
    "retry_after_value",
    "substitute",
    "truncate",
    "unmask",
]

JSON_TYPE = "application/json; charset=utf-8"


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": JSON_TYPE})
    delay: float = 0.0  # seconds the provider takes before answering (a hung upstream, retries behind a 404)

    @classmethod
    def json(cls, status: int, payload: Any, content_type: str = JSON_TYPE, **headers: str) -> Answer:
        # Compact, UTF-8 as is: what JSON.stringify (Node, Workers) and Go's encoder send.
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return cls(status, body, {"Content-Type": content_type, **headers})

    @classmethod
    def text(cls, status: int, text: str, content_type: str = "text/plain; charset=utf-8", **headers: str) -> Answer:
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type, **headers})

    @classmethod
    def empty(cls, status: int, **headers: str) -> Answer:
        return cls(status, b"", dict(headers))

    def with_headers(self, **headers: str) -> Answer:
        return Answer(self.status, self.body, {**self.headers, **headers}, self.delay)


def substitute(value: Any, replacements: dict[str, str]) -> Any:
    """Re-aim a captured error body at another CNPJ (its message quotes the CNPJ it was captured for)."""
    if isinstance(value, str):
        for old, new in replacements.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: substitute(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, replacements) for v in value]
    return value


def unmask(raw: str) -> str:
    """go-cnpj's Unmask (minha-receita, hence BrasilAPI): keep [0-9A-Z], drop the rest, lowercase letters included."""
    return re.sub(r"[^0-9A-Z]", "", raw)


def masked_or_raw(raw: str) -> str:
    """go-cnpj's Mask: the masked form when 14 characters are left after unmasking, else the input as typed."""
    bare = unmask(raw)
    return format_cnpj(bare) if len(bare) == 14 else raw


def retry_after_value(seconds: float) -> str:
    """A Retry-After value: whole seconds (RFC 9110 delay-seconds), rounded up, at least 1."""
    return str(max(1, math.ceil(seconds - 1e-9)))


def challenge_page() -> Answer:
    """Cloudflare's managed challenge ("Just a moment..."): HTML where the client expects JSON."""
    html = (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>'
        '<div class="main-wrapper" role="main"><div class="main-content"><h1>Verifying you are human. '
        "This may take a few seconds.</h1></div></div><noscript>Enable JavaScript and cookies to continue"
        "</noscript></body></html>"
    )
    return Answer.text(
        403,
        html,
        "text/html; charset=UTF-8",
        **{"cf-mitigated": "challenge", "server": "cloudflare", "Cache-Control": "private, max-age=0, no-store"},
    )


def cloudflare_rate_limited(retry_after: float) -> Answer:
    """A Cloudflare rate-limiting rule's refusal (error 1015): plain text, with Retry-After ([unverified] for the
    providers behind Cloudflare that document no 429 body)."""
    return Answer.text(
        429, "error code: 1015", **{"server": "cloudflare", "Retry-After": retry_after_value(retry_after)}
    )


def cloudflare_error(status: int) -> Answer:
    """Cloudflare's own page when the origin is down (522: connection timed out), as plain text."""
    return Answer.text(status, f"error code: {status}", server="cloudflare")


def truncate(answer: Answer) -> Answer:
    """The same answer cut halfway through its body (the connection dropped mid-payload upstream)."""
    return Answer(answer.status, answer.body[: max(1, len(answer.body) // 2)], dict(answer.headers), answer.delay)
