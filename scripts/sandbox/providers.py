"""The six providers as the sandbox plays them: routes under their base path, input validation, success headers,
error bodies and status codes, refusals when the window is full, server errors, and metadata routes.

Each answers the way providers.md / providers-more.md document it; what no source confirms is marked [unverified]
here and in README.md, with the most plausible choice taken.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from email.message import Message
from typing import Any
from urllib.parse import unquote

from radar.cnpj import check_digits, format_cnpj, parse_cnpj
from radar.errors import InvalidCnpj
from scripts.sandbox.answers import (
    Answer,
    challenge_page,
    cloudflare_error,
    cloudflare_rate_limited,
    masked_or_raw,
    retry_after_value,
    substitute,
    truncate,
    unmask,
)
from scripts.sandbox.config import SandboxConfig
from scripts.sandbox.fixtures import ErrorSample, FixtureSet
from scripts.sandbox.generator import render

__all__ = ["PROVIDER_CLASSES", "Call", "Provider", "Route", "World", "registrable"]

_BARE = re.compile(r"^[0-9A-Za-z]{14}$")


@dataclass(frozen=True)
class Call:
    """An HTTP request as a provider sees it: `rest` is the path after the provider's base, still percent-encoded."""

    method: str
    rest: str
    query: Mapping[str, list[str]]
    headers: Message | Mapping[str, str]


@dataclass(frozen=True)
class Route:
    kind: str  # "lookup" | "meta" | "answer"
    raw: str = ""  # lookup: the CNPJ as sent, decoded
    commercial: bool = False  # a paid tier: not held to the public per-minute limit
    name: str = ""  # meta: which route
    answer: Answer | None = None  # "answer": fixed, e.g. a 405 or a CORS preflight

    @property
    def label(self) -> str:
        return self.name or self.kind


@dataclass(frozen=True)
class World:
    """What an answer may depend on besides the request."""

    fixtures: FixtureSet
    config: SandboxConfig
    rng: random.Random

    @property
    def as_of(self) -> date:
        return self.config.as_of_date


def registrable(cnpj: str) -> bool:
    """Could the RF have registered it: right check digits, not one repeated character (00000000000000 passes the
    checksum and is answered not found by the providers that accept it)."""
    body = cnpj[:12]
    if not re.fullmatch(r"[0-9A-Z]{12}[0-9]{2}", cnpj) or len(set(cnpj)) == 1:
        return False
    return check_digits(body) == cnpj[12:]


def _strict(raw: str) -> str | None:
    """14 characters, no mask, valid check digits (what cnpj.ws, ReceitaWS and CNPJá accept)."""
    if not _BARE.match(raw):
        return None
    try:
        return parse_cnpj(raw).value
    except InvalidCnpj:
        return None


_SANDBOX_405 = Answer.json(405, {"error": "method not allowed"})


class Provider:
    name = ""
    base = ""
    upstream: str | None = None  # the provider this one proxies, whose faults it suffers
    default_bodies: dict[str, tuple[int, Any]] = {}

    # -- routing ---------------------------------------------------------------------------------------------------
    def route(self, call: Call) -> Route | None:
        raise NotImplementedError

    def _lookup_route(self, call: Call, prefix: str, **extra: Any) -> Route | None:
        if not call.rest.startswith(prefix) or len(call.rest) == len(prefix):
            return None
        if call.method != "GET":
            return Route("answer", name="not_get", answer=_SANDBOX_405)
        return Route("lookup", raw=unquote(call.rest[len(prefix) :]), **extra)

    # -- lookups ---------------------------------------------------------------------------------------------------
    def validate(self, raw: str) -> str | None:
        """The bare CNPJ when this provider accepts the input as a CNPJ, else None (it answers `invalid`)."""
        return _strict(raw)

    def lookup(self, route: Route, call: Call, world: World) -> tuple[Answer, str | None]:
        """The answer for a lookup, and the bare CNPJ when the input was one."""
        cnpj = self.validate(route.raw)
        if cnpj is None:
            return self.invalid(route.raw, world), None
        record = world.fixtures.record(cnpj, self.name)
        if record is not None:
            return self.success(record), cnpj
        sample = world.fixtures.error_sample(cnpj, self.name)
        if sample is not None:
            return self.from_sample(sample, route.raw), cnpj
        if not registrable(cnpj) or world.fixtures.known(cnpj):
            return self.not_found(route.raw, world), cnpj
        return self.success(render(self.name, cnpj, world.as_of)), cnpj

    def success(self, payload: Any) -> Answer:
        return Answer.json(200, payload)

    def shown(self, raw: str) -> str:
        """How an error message quotes the input."""
        bare = re.sub(r"[.\-/\s]", "", raw).upper()
        return format_cnpj(bare) if _BARE.match(bare) else raw

    def error(self, role: str, raw: str, world: World) -> Answer:
        """A captured sample's format when the fixtures have one for this role, else the documented default."""
        sample = world.fixtures.templates.get((self.name, role))
        if sample is not None:
            return self.from_sample(sample, raw)
        status, body = self.default_bodies[role]
        return self.json_answer(status, substitute(body, {"{shown}": self.shown(raw)}))

    def json_answer(self, status: int, body: Any) -> Answer:
        """A JSON body with this provider's headers (success and errors alike)."""
        return Answer.json(status, body)

    def from_sample(self, sample: ErrorSample, raw: str) -> Answer:
        replacements: dict[str, str] = {}
        if sample.cnpj:
            replacements = {format_cnpj(sample.cnpj): self.shown(raw), sample.cnpj: raw}
        if sample.subject:
            replacements[sample.subject] = self.shown(raw)
        return self.json_answer(sample.status, substitute(self.reshape(sample), replacements))

    def reshape(self, sample: ErrorSample) -> Any:
        """A twin's sample in this provider's body format (BrasilAPI <-> minha-receita)."""
        return sample.body

    def invalid(self, raw: str, world: World) -> Answer:
        return self.error("invalid", raw, world)

    def not_found(self, raw: str, world: World) -> Answer:
        return self.error("not_found", raw, world)

    def outage_not_found(self, raw: str, world: World) -> Answer:
        """The "404" fault: not found for a company that exists."""
        return self.not_found(raw, world)

    # -- refusals and faults ---------------------------------------------------------------------------------------
    def challenged(self, arrivals_in_hour: int, world: World) -> bool:
        """A volume rule in front of the provider (only OpenCNPJ documents one)."""
        return False

    def refuse(self, limit: float, retry_after: float, world: World) -> tuple[Answer, str]:
        """The answer when the window is full, and its kind for the counters."""
        return self.rate_limited(limit, retry_after, world), "429"

    def rate_limited(self, limit: float, retry_after: float, world: World) -> Answer:
        raise NotImplementedError

    def server_error(self, raw: str, world: World) -> Answer:
        raise NotImplementedError

    def challenge(self) -> Answer:
        return challenge_page()

    def upstream_failure(self, kind: str, answer: Answer, raw: str, world: World) -> Answer:
        """What this proxy answers when its call to `upstream` hits the fault `kind`."""
        raise NotImplementedError

    def meta(self, name: str, call: Call, world: World) -> Answer:
        raise NotImplementedError(name)


# -- cnpj.ws ---------------------------------------------------------------------------------------------------------
_CNPJWS_ERRORS = {
    400: ("Requisição inválida", "CNPJ inválido"),
    404: ("Não encontrado", "CNPJ não encontrado na base de dados"),
    429: ("Muitas requisições", "Excedido o limite máximo de {limit} consultas por minuto"),
    500: ("Erro interno", "Erro interno do servidor"),
}


def _cnpjws_body(status: int, limit: float = 3) -> dict[str, Any]:
    title, details = _CNPJWS_ERRORS[status]
    return {"status": status, "titulo": title, "detalhes": details.format(limit=int(limit)), "validacao": []}


class CnpjWs(Provider):
    """`GET /cnpjws/cnpj/{14 characters}`; `?token=` is the commercial tier."""

    name = "cnpjws"
    base = "/cnpjws"
    default_bodies = {"invalid": (400, _cnpjws_body(400))}

    def route(self, call: Call) -> Route | None:
        return self._lookup_route(call, "/cnpj/", commercial=bool(call.query.get("token")))

    def not_found(self, raw: str, world: World) -> Answer:
        return Answer.json(404, _cnpjws_body(404))

    def rate_limited(self, limit: float, retry_after: float, world: World) -> Answer:
        return Answer.json(429, _cnpjws_body(429, limit))

    def server_error(self, raw: str, world: World) -> Answer:
        return Answer.json(500, _cnpjws_body(500))


# -- minha-receita and BrasilAPI ---------------------------------------------------------------------------------
def _unmasked_valid(raw: str) -> str | None:
    """go-cnpj IsValid on Unmask(raw): 14 characters in [0-9A-Z] with matching check digits. Lowercase letters are
    dropped, so `12abc34501de35` is invalid; 00000000000000 is valid (and then not found)."""
    bare = unmask(raw)
    if len(bare) != 14 or not bare[12:].isdigit():
        return None
    return bare if check_digits(bare[:12]) == bare[12:] else None


_MINHARECEITA_CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type, Content-Length, Accept-Encoding",
}
_MINHARECEITA_CACHE = {"Cache-Control": "max-age=86400"}
# minha-receita retries a database timeout 13 times, 1 s apart, before its 404.
_MINHARECEITA_DB_RETRY_SECONDS = 13.0


class MinhaReceita(Provider):
    """minhareceita.org: `GET /minhareceita/{cnpj}` (masked or not), `/updated`, `/healthz`; what BrasilAPI proxies."""

    name = "minhareceita"
    base = "/minhareceita"
    default_bodies = {
        "invalid": (400, {"message": "CNPJ {shown} inválido."}),
        "not_found": (404, {"message": "CNPJ {shown} não encontrado."}),
    }
    _method_not_allowed = {"message": "Essa URL aceita apenas o método GET."}

    def route(self, call: Call) -> Route | None:
        path = call.rest
        if path in ("/updated", "/healthz"):
            return self._meta_route(call, path[1:])
        headers = {**_MINHARECEITA_CACHE, **_MINHARECEITA_CORS}
        if call.method == "OPTIONS":
            return Route("answer", name="preflight", answer=Answer.empty(200, **headers))
        if call.method != "GET":
            return Route("answer", name="not_get", answer=self._plain_json(405, self._method_not_allowed, **headers))
        if path in ("", "/"):
            if call.query:  # the beta paginated search (?uf=&cnae=...) is not modelled
                not_modelled = Answer.json(501, {"error": "minha-receita search is not modelled"})
                return Route("answer", name="search", answer=not_modelled)
            return Route("answer", name="docs", answer=Answer.empty(302, Location="https://docs.minhareceita.org"))
        return Route("lookup", raw=unquote(path[1:]))

    def _meta_route(self, call: Call, name: str) -> Route:
        if name == "healthz":
            if call.method in ("GET", "HEAD"):
                return Route("answer", name=name, answer=Answer.empty(200))
            refused = {"message": "Essa URL aceita apenas os métodos GET e HEAD."}
            return Route("answer", name=name, answer=self._plain_json(405, refused))
        if call.method != "GET":
            return Route("answer", name=name, answer=self._plain_json(405, self._method_not_allowed))
        return Route("meta", name=name)

    @staticmethod
    def _plain_json(status: int, payload: Any, **headers: str) -> Answer:
        # Go writes the status before setting Content-Type here, so the body goes out sniffed as text/plain.
        return Answer.json(status, payload, "text/plain; charset=utf-8", **headers)

    def validate(self, raw: str) -> str | None:
        return _unmasked_valid(raw)

    def shown(self, raw: str) -> str:
        return masked_or_raw(raw)

    def success(self, payload: Any) -> Answer:
        return self.json_answer(200, payload)  # every /{cnpj} answer is cacheable for a day, 404s included

    def json_answer(self, status: int, body: Any) -> Answer:
        return Answer.json(status, body, "application/json", **_MINHARECEITA_CACHE, **_MINHARECEITA_CORS)

    def reshape(self, sample: ErrorSample) -> Any:
        if sample.provider == self.name or not isinstance(sample.body, dict):
            return sample.body
        return {"message": sample.body.get("message", "")}  # BrasilAPI's sample without its type and name

    def outage_not_found(self, raw: str, world: World) -> Answer:
        answer = self.not_found(raw, world)
        answer.delay = world.config.scaled(_MINHARECEITA_DB_RETRY_SECONDS)
        return answer

    def rate_limited(self, limit: float, retry_after: float, world: World) -> Answer:
        # No limit is documented ("Se cair, caiu"); the site sits behind Cloudflare, whose rate-limit answer this is.
        return cloudflare_rate_limited(retry_after)

    def server_error(self, raw: str, world: World) -> Answer:
        return cloudflare_error(522)  # the fly.io machines do not answer in time (#220)

    def meta(self, name: str, call: Call, world: World) -> Answer:
        # Since e657c91 (2025-10-27) the body is just the date; before, "<date> é a data de extração dos dados...".
        return self._plain_json(200, {"message": world.config.dataset_date(self.name)}, **_MINHARECEITA_CACHE)


_BRASILAPI_ERRORS = {
    "invalid": ("bad_request", "BadRequestError"),
    "not_found": ("not_found", "NotFoundError"),
}


def _axios_error(upstream_status: int) -> Answer:
    return Answer.json(
        500,
        {
            "message": f"Request failed with status code {upstream_status}",
            "type": "internal_error",
            "name": "AxiosError",
        },
    )


class BrasilApi(Provider):
    """`GET /brasilapi/api/cnpj/v1/{cnpj}`: minha-receita's answer, passed through Vercel (Next.js) and Cloudflare."""

    name = "brasilapi"
    base = "/brasilapi"
    upstream = "minhareceita"
    default_bodies = {
        "invalid": (400, {"message": "CNPJ {shown} inválido.", "type": "bad_request", "name": "BadRequestError"}),
        "not_found": (404, {"message": "CNPJ {shown} não encontrado.", "type": "not_found", "name": "NotFoundError"}),
    }

    def route(self, call: Call) -> Route | None:
        return self._lookup_route(call, "/api/cnpj/v1/")

    def validate(self, raw: str) -> str | None:
        return _unmasked_valid(raw)  # minha-receita validates; BrasilAPI relays its 400

    def shown(self, raw: str) -> str:
        return masked_or_raw(raw)

    def success(self, payload: Any) -> Answer:
        answer = Answer.json(200, payload)
        etag = hashlib.sha1(answer.body, usedforsecurity=False).hexdigest()[:27]
        return answer.with_headers(
            **{
                "Cache-Control": "max-age=0, s-maxage=86400, stale-while-revalidate, public",
                "ETag": f'W/"{etag}"',
                "x-vercel-cache": "MISS",
                "server": "Vercel",
            }
        )

    def reshape(self, sample: ErrorSample) -> Any:
        if sample.provider == self.name or not isinstance(sample.body, dict):
            return sample.body
        kind, name = _BRASILAPI_ERRORS[sample.role]
        return {"message": sample.body.get("message", ""), "type": kind, "name": name}

    def rate_limited(self, limit: float, retry_after: float, world: World) -> Answer:
        # Vercel's firewall answer in front of BrasilAPI: plain text, not JSON.
        rng = world.rng
        request_id = f"gru1::{rng.getrandbits(40):010x}-{rng.getrandbits(40):010x}"
        return Answer.text(
            429,
            f"Too Many Requests\n\n{request_id}\n",
            **{"x-vercel-mitigated": "deny", "x-vercel-id": request_id, "server": "cloudflare"},
        )

    def server_error(self, raw: str, world: World) -> Answer:
        if world.rng.random() < 0.5:
            return _axios_error(503)  # minhareceita.org down behind BrasilAPI
        retry_after = retry_after_value(world.config.scaled(120.0))
        return Answer.text(504, "error code: 504", **{"server": "cloudflare", "retry-after": retry_after})

    def upstream_failure(self, kind: str, answer: Answer, raw: str, world: World) -> Answer:
        if kind == "404":
            failed = self.not_found(raw, world)  # passed through: 404 for every CNPJ during an outage
            failed.delay = world.config.scaled(_MINHARECEITA_DB_RETRY_SECONDS)
            return failed
        if kind == "timeout":
            timed_out = Answer.text(
                504, "An error occurred with your deployment\n\nFUNCTION_INVOCATION_TIMEOUT\n", server="Vercel"
            )
            timed_out.delay = world.config.timeout_seconds
            return timed_out
        if kind == "truncated":
            # axios hands over the unparsable text as a string, and Next's res.json() sends it as a JSON string.
            return Answer.json(200, truncate(answer).body.decode("utf-8", "ignore"))
        return _axios_error({"5xx": 522, "html": 403, "429": 429}[kind])


# -- ReceitaWS -------------------------------------------------------------------------------------------------------
# The only text found for "wait a minute" (with errorCode 101) comes from a PHP client, which builds it when the
# HTTP call fails (a 429); issue 12/15 treat it as a ReceitaWS answer with HTTP 200, so the sandbox sends it so.
RECEITAWS_WAIT = {
    "status": "ERROR",
    "message": "Espere um minuto para tentar fazer uma nova requisição!",
    "errorCode": 101,
}


class ReceitaWs(Provider):
    """`GET /receitaws/v1/cnpj/{cnpj}`; `/days/{n}` with `Authorization: Bearer` is the paid tier."""

    name = "receitaws"
    base = "/receitaws"
    default_bodies = {
        "invalid": (200, {"status": "ERROR", "message": "CNPJ inválido"}),
        "not_found": (200, {"message": "CNPJ rejeitado pela Receita Federal", "status": "ERROR"}),
    }

    def route(self, call: Call) -> Route | None:
        route = self._lookup_route(call, "/v1/cnpj/")
        if route is None or route.kind != "lookup" or "/days/" not in route.raw:
            return route
        raw, _, days = route.raw.partition("/days/")
        if not days.isdigit():
            return None
        paid = (call.headers.get("Authorization") or "").startswith("Bearer ")
        return Route("lookup", raw=raw, commercial=paid)

    def refuse(self, limit: float, retry_after: float, world: World) -> tuple[Answer, str]:
        if world.rng.random() < world.config.receitaws_wait_share:
            return Answer.json(200, RECEITAWS_WAIT), "wait_a_minute"
        return self.rate_limited(limit, retry_after, world), "429"

    def rate_limited(self, limit: float, retry_after: float, world: World) -> Answer:
        return Answer.text(
            429,
            "<html><head><title>429 Too Many Requests</title></head><body><center><h1>429 Too Many Requests</h1>"
            "</center><hr><center>nginx</center></body></html>",
            "text/html",
            **{"Retry-After": retry_after_value(retry_after)},
        )

    def server_error(self, raw: str, world: World) -> Answer:
        return Answer.text(
            504,
            "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1>"
            "</center><hr><center>nginx</center></body></html>",
            "text/html",
        )


# -- OpenCNPJ --------------------------------------------------------------------------------------------------------
_OPENCNPJ_CORS = {"Access-Control-Allow-Origin": "*"}
_OPENCNPJ_NO_STORE = {"Cache-Control": "no-store", **_OPENCNPJ_CORS}
# Optional datasets beside "receita" ([unverified]: the Worker reads the list from its runtime info).
OPENCNPJ_DATASETS = ("ceis", "cepim", "cnep", "cno", "rntrc")
_IGNORED_DATASET_TOKENS = {"e", "and"}


def _opencnpj_error(status: int, message: str) -> Answer:
    return Answer.json(status, {"error": message}, **_OPENCNPJ_NO_STORE)


class OpenCnpj(Provider):
    """api.opencnpj.org (a Cloudflare Worker): `GET /opencnpj/{cnpj}` (mask and lowercase accepted), `?datasets=`,
    `/info`, `/schema`. The check digits are not checked: a bad one is a 404."""

    name = "opencnpj"
    base = "/opencnpj"
    default_bodies = {"invalid": (400, {"error": "invalid cnpj"}), "not_found": (404, {"error": "not found"})}

    def route(self, call: Call) -> Route | None:
        if call.method == "OPTIONS":
            preflight = {
                **_OPENCNPJ_CORS,
                "Access-Control-Allow-Methods": "GET, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept",
                "Access-Control-Max-Age": "86400",
            }
            return Route("answer", name="preflight", answer=Answer.empty(204, **preflight))
        if call.method != "GET":
            return Route("answer", name="not_get", answer=_opencnpj_error(405, "method not allowed"))
        path = call.rest.rstrip("/")
        if path in ("/info", "/schema"):
            return Route("meta", name=path[1:])
        return Route("lookup", raw=unquote(path).strip())

    def validate(self, raw: str) -> str | None:
        candidate = raw.strip("/")
        if not candidate or candidate.count("/") > 1:
            return None
        normalized = re.sub(r"[./-]", "", candidate.strip().upper())
        return normalized if re.fullmatch(r"[A-Z0-9]{12}\d{2}", normalized) else None

    def shown(self, raw: str) -> str:
        return raw

    def json_answer(self, status: int, body: Any) -> Answer:
        return Answer.json(status, body, **_OPENCNPJ_NO_STORE)

    def success(self, payload: Any) -> Answer:
        return Answer.json(200, payload, **{"Cache-Control": "public, max-age=86400, s-maxage=86400", **_OPENCNPJ_CORS})

    def lookup(self, route: Route, call: Call, world: World) -> tuple[Answer, str | None]:
        cnpj = self.validate(route.raw)
        if cnpj is None:
            return self.invalid(route.raw, world), None
        requested: list[str] = []
        for value in [*call.query.get("datasets", []), *call.query.get("dataset", [])]:
            for token in re.split(r"[,\s]+", value):
                key = token.strip().lower()
                if key and key not in _IGNORED_DATASET_TOKENS and key not in requested:
                    requested.append(key)
        unknown = [key for key in requested if key != "receita" and key not in OPENCNPJ_DATASETS]
        if unknown:
            return _opencnpj_error(400, f"invalid dataset: {','.join(unknown)}"), cnpj
        record: dict[str, Any] = {}
        if not requested or "receita" in requested:  # Receita only by default (since 4a2d13a)
            answer, _ = super().lookup(route, call, world)
            if answer.status != 200:
                return answer, cnpj
            record = json.loads(answer.body)
        extra = world.fixtures.datasets.get(cnpj, {})
        for key in sorted(k for k in requested if k != "receita"):
            record[key] = extra.get(key)  # null: nothing on file (the sandbox has no sanctions data of its own)
        return self.success(record), cnpj

    def challenged(self, arrivals_in_hour: int, world: World) -> bool:
        return arrivals_in_hour > world.config.opencnpj_challenge_per_hour

    def rate_limited(self, limit: float, retry_after: float, world: World) -> Answer:
        return cloudflare_rate_limited(retry_after)  # the Worker emits no 429; Cloudflare does ([unverified] body)

    def server_error(self, raw: str, world: World) -> Answer:
        return _opencnpj_error(502, "invalid shard payload")

    def meta(self, name: str, call: Call, world: World) -> Answer:
        if name == "schema":
            sample = render(self.name, "11222333000181", world.as_of)
            properties = {key: {"type": _json_type(value)} for key, value in sample.items()}
            schema = {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "object",
                "properties": properties,
            }
            return Answer.json(200, schema, **_OPENCNPJ_NO_STORE)
        updated = world.config.dataset_date(self.name)
        release = updated[:7]
        datasets = {
            key: {
                "last_updated": updated,
                "storage_release_id": release,
                "zip_url": f"https://file.opencnpj.org/releases/{release}/{key}.zip",
            }
            for key in ("receita", *OPENCNPJ_DATASETS)
        }
        info = {"last_updated": updated, "storage_release_id": release, "datasets": datasets}
        return Answer.json(200, info, **_OPENCNPJ_NO_STORE)


def _json_type(value: Any) -> str:
    return "array" if isinstance(value, list) else "object" if isinstance(value, dict) else "string"


# -- CNPJá open ------------------------------------------------------------------------------------------------------
class Cnpja(Provider):
    """open.cnpja.com: `GET /cnpja/office/{taxId}` (14 characters, no punctuation), 5 per minute per IP."""

    name = "cnpja"
    base = "/cnpja"
    default_bodies = {
        "invalid": (
            400,
            {
                "code": 400,
                "message": "request validation failed",
                "constraints": ["taxId must be a string that obeys cnpj verification algorithm"],
            },
        ),
        "not_found": (404, {"code": 404, "message": "tax id not registered at revenue service"}),
        "rate_limited": (429, {"code": 429, "message": "rate limit exceeded"}),
    }

    def route(self, call: Call) -> Route | None:
        # The paid parameters (strategy, maxAge, ...) are ignored on the open API ([unverified]).
        return self._lookup_route(call, "/office/")

    def validate(self, raw: str) -> str | None:
        return _strict(raw) if raw == raw.upper() else None  # [unverified]: lowercase letters are refused

    def rate_limited(self, limit: float, retry_after: float, world: World) -> Answer:
        return self.error("rate_limited", "", world)  # no Retry-After ([unverified]; clients back off 60 s)

    def server_error(self, raw: str, world: World) -> Answer:
        if world.rng.random() < 0.5:
            return Answer.json(503, {"code": 503, "message": "revenue service is offline"})
        return Answer.json(500, {"code": 500, "message": "unexpected error"})


PROVIDER_CLASSES: tuple[type[Provider], ...] = (CnpjWs, BrasilApi, ReceitaWs, MinhaReceita, OpenCnpj, Cnpja)
