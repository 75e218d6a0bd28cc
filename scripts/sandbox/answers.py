"""Each provider's real answers: success, invalid CNPJ, not found, rate limited, server error, challenge page."""

from __future__ import annotations

import json
import math
import random
import re
from dataclasses import dataclass, field
from typing import Any

from radar.cnpj import format_cnpj, parse_cnpj
from radar.errors import InvalidCnpj
from scripts.sandbox.fixtures import ErrorSample, FixtureSet
from scripts.sandbox.generator import render

__all__ = ["Answer", "answer_lookup", "challenge_page", "rate_limited", "server_error", "truncate"]

JSON_TYPE = "application/json; charset=utf-8"
_BARE = re.compile(r"^[0-9A-Za-z]{14}$")

# Used when the fixture directory has no sample for a kind of error; same shapes as the captured ones.
_DEFAULT_BODIES: dict[tuple[str, str], tuple[int, Any]] = {
    ("cnpjws", "invalid"): (
        400,
        {"status": 400, "titulo": "Requisição inválida", "detalhes": "CNPJ inválido", "validacao": []},
    ),
    ("brasilapi", "invalid"): (
        400,
        {"message": "CNPJ {shown} inválido.", "type": "bad_request", "name": "BadRequestError"},
    ),
    ("brasilapi", "not_found"): (
        404,
        {"message": "CNPJ {shown} não encontrado.", "type": "not_found", "name": "NotFoundError"},
    ),
    ("brasilapi", "server_error"): (
        500,
        {"message": "Request failed with status code 503", "type": "internal_error", "name": "AxiosError"},
    ),
    ("receitaws", "invalid"): (200, {"status": "ERROR", "message": "CNPJ inválido"}),
    ("receitaws", "not_found"): (200, {"message": "CNPJ rejeitado pela Receita Federal", "status": "ERROR"}),
}
_CNPJWS_ERRORS = {
    404: ("Não encontrado", "CNPJ não encontrado na base de dados"),
    429: ("Muitas requisições", "Excedido o limite máximo de {limit} consultas por minuto"),
    500: ("Erro interno", "Erro interno do servidor"),
}


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": JSON_TYPE})

    @classmethod
    def json(cls, status: int, payload: Any, **headers: str) -> Answer:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        return cls(status, body, {"Content-Type": JSON_TYPE, **headers})

    @classmethod
    def text(cls, status: int, text: str, content_type: str = "text/plain; charset=utf-8", **headers: str) -> Answer:
        return cls(status, text.encode("utf-8"), {"Content-Type": content_type, **headers})


def _substitute(value: Any, replacements: dict[str, str]) -> Any:
    """Re-aim a captured error body at another CNPJ (its message quotes the CNPJ it was captured for)."""
    if isinstance(value, str):
        for old, new in replacements.items():
            value = value.replace(old, new)
        return value
    if isinstance(value, dict):
        return {k: _substitute(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, replacements) for v in value]
    return value


def _shown(raw: str) -> str:
    # BrasilAPI quotes a 14-character CNPJ masked, anything else as it was typed.
    bare = re.sub(r"[.\-/\s]", "", raw).upper()
    return format_cnpj(bare) if _BARE.match(bare) else raw


def _error(fixtures: FixtureSet, provider: str, role: str, raw: str) -> Answer:
    sample = fixtures.templates.get((provider, role))
    if sample is not None:
        return _from_sample(sample, raw)
    status, body = _DEFAULT_BODIES[(provider, role)]
    return Answer.json(status, _substitute(body, {"{shown}": _shown(raw)}))


def _from_sample(sample: ErrorSample, raw: str) -> Answer:
    replacements = {}
    if sample.cnpj:
        replacements = {format_cnpj(sample.cnpj): _shown(raw), sample.cnpj: raw}
    return Answer.json(sample.status, _substitute(sample.body, replacements))


def _seconds(value: float) -> str:
    """A Retry-After value: whole seconds (RFC 9110 delay-seconds), rounded up, at least 1."""
    return str(max(1, math.ceil(value - 1e-9)))


def _cnpjws_error(status: int, limit: float = 3) -> Answer:
    title, details = _CNPJWS_ERRORS[status]
    body = {"status": status, "titulo": title, "detalhes": details.format(limit=int(limit)), "validacao": []}
    return Answer.json(status, body)


def _valid(provider: str, raw: str) -> str | None:
    """The bare CNPJ when this provider accepts `raw` (only BrasilAPI takes the mask), else None."""
    if provider != "brasilapi" and not _BARE.match(raw):
        return None
    try:
        return parse_cnpj(raw).value
    except InvalidCnpj:
        return None


def answer_lookup(provider: str, raw: str, fixtures: FixtureSet) -> tuple[Answer, str | None]:
    """The provider's answer for a CNPJ lookup, and the bare CNPJ when it was valid."""
    cnpj = _valid(provider, raw)
    if cnpj is None:
        return _error(fixtures, provider, "invalid", raw), None
    record = fixtures.records.get(cnpj, {}).get(provider)
    if record is not None:
        return Answer.json(200, record), cnpj
    sample = fixtures.errors_by_cnpj.get(cnpj, {}).get(provider)
    if sample is not None:
        return _from_sample(sample, raw), cnpj
    if fixtures.known(cnpj):
        return not_found(provider, raw, fixtures), cnpj
    return Answer.json(200, render(provider, cnpj)), cnpj


def not_found(provider: str, raw: str, fixtures: FixtureSet) -> Answer:
    if provider == "cnpjws":
        return _cnpjws_error(404)
    return _error(fixtures, provider, "not_found", raw)


def rate_limited(provider: str, limit: float, retry_after: float) -> Answer:
    if provider == "cnpjws":
        return _cnpjws_error(429, limit)
    if provider == "brasilapi":
        # Vercel's firewall answer in front of BrasilAPI: plain text, not JSON.
        request_id = f"gru1::{random.getrandbits(40):010x}-{random.getrandbits(40):010x}"
        return Answer.text(
            429,
            f"Too Many Requests\n\n{request_id}\n",
            **{"x-vercel-mitigated": "deny", "x-vercel-id": request_id, "server": "cloudflare"},
        )
    return Answer.text(
        429,
        "<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1>"
        "</center><hr><center>nginx</center></body></html>",
        "text/html",
        **{"Retry-After": _seconds(retry_after)},
    )


def server_error(provider: str, raw: str, fixtures: FixtureSet, rng: random.Random, retry_after: float) -> Answer:
    if provider == "cnpjws":
        return _cnpjws_error(500)
    if provider == "brasilapi":
        if rng.random() < 0.5:
            return _error(fixtures, provider, "server_error", raw)  # minhareceita.org down behind BrasilAPI
        return Answer.text(504, "error code: 504", **{"server": "cloudflare", "retry-after": _seconds(retry_after)})
    return Answer.text(
        504,
        "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1>"
        "</center><hr><center>nginx</center></body></html>",
        "text/html",
    )


def challenge_page() -> Answer:
    """Cloudflare's managed challenge ("Just a moment..."): HTML where the client expects JSON."""
    html = (
        '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head><body>'
        '<div class="main-wrapper" role="main"><div class="main-content"><h1>Verifying you are human. '
        "This may take a few seconds.</h1></div></div><noscript>Enable JavaScript and cookies to continue"
        "</noscript></body></html>"
    )
    return Answer.text(403, html, "text/html; charset=UTF-8", **{"cf-mitigated": "challenge", "server": "cloudflare"})


def truncate(answer: Answer) -> Answer:
    """The same answer cut halfway through its body (the connection dropped mid-payload upstream)."""
    return Answer(answer.status, answer.body[: max(1, len(answer.body) // 2)], dict(answer.headers))
