"""Sandbox settings: latency, fault injection, rate limits and the time scale, from flags, the environment or
POST /_sandbox/config."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from scripts.sandbox.company import today

__all__ = ["DEFAULT_FAULTS", "DEFAULT_LIMITS_PER_MIN", "FAULT_KINDS", "WINDOW_SECONDS", "SandboxConfig"]

# "404": the provider answers its not-found for a company that exists (minha-receita/BrasilAPI do it for any
# database error); not in the default list, so a bare fault_rate never turns real companies into missing ones.
FAULT_KINDS = ("5xx", "timeout", "html", "truncated", "429", "404")
DEFAULT_FAULTS = ("5xx", "timeout", "html", "truncated", "429")
# Per client IP and minute. Documented: cnpj.ws 3, ReceitaWS 3, CNPJá open 5. Not documented, chosen conservative:
# BrasilAPI 60 (Vercel 429s seen at 1 request per 1-3 s), minha-receita 30 ("no limit", but 1-2 small machines),
# OpenCNPJ 60 sustained (bursts are fine, "sustained high volume" gets 429s; see also the challenge rule below).
DEFAULT_LIMITS_PER_MIN = {
    "cnpjws": 3.0,
    "brasilapi": 60.0,
    "receitaws": 3.0,
    "minhareceita": 30.0,
    "opencnpj": 60.0,
    "cnpja": 5.0,
}
# When each dump-based source was last loaded, in days before `as_of` (overridable per provider: dataset_dates).
_DUMP_AGE_DAYS = {"minhareceita": 25, "opencnpj": 16}
# Every provider limit is "N per minute"; the time scale shortens that minute (and every other modelled time).
WINDOW_SECONDS = 60.0


@dataclass(frozen=True)
class SandboxConfig:
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    fault_rate: float = 0.0
    faults: tuple[str, ...] = DEFAULT_FAULTS
    # Per-provider override of fault_rate, e.g. {"brasilapi": 1.0} for "BrasilAPI is down".
    fault_rate_by_provider: dict[str, float] = field(default_factory=dict)
    rate_limits: bool = True
    limits_per_min: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_LIMITS_PER_MIN))
    timeout_seconds: float = 10.0  # a "timeout" fault sleeps this long, past a client's read timeout
    seed: int | None = None
    # 10 = every modelled time (limit windows, Retry-After values, "wait a minute") lasts 1/10 as long.
    time_scale: float = 1.0
    # Share of ReceitaWS's window-full refusals answered with its HTTP 200 "wait a minute" body instead of a 429.
    receitaws_wait_share: float = 0.5
    # Cloudflare's managed challenge in front of OpenCNPJ: more arrivals than this in an hour (time-scaled; refused
    # requests count too) and every request gets the 403 "Just a moment..." page until the volume drops.
    opencnpj_challenge_per_hour: float = 5000.0
    # The day generated records are dated from (cnpj.ws atualizado_em, ReceitaWS ultima_atualizacao, CNPJá updated)
    # and dump dates are counted back from; today (UTC) by default.
    as_of: str = field(default_factory=lambda: today().isoformat())
    # minha-receita /updated and OpenCNPJ /info last_updated; unset ones are derived from as_of.
    dataset_dates: dict[str, str] = field(default_factory=dict)

    def scaled(self, seconds: float) -> float:
        """A real-world duration in the sandbox's (possibly accelerated) time."""
        return seconds / self.time_scale

    @property
    def window_seconds(self) -> float:
        return self.scaled(WINDOW_SECONDS)

    @property
    def as_of_date(self) -> date:
        return date.fromisoformat(self.as_of)

    def dataset_date(self, provider: str) -> str:
        """minha-receita: the RF extraction date (YYYY-MM-DD); OpenCNPJ: last_updated (ISO, UTC)."""
        if provider in self.dataset_dates:
            return self.dataset_dates[provider]
        day = (self.as_of_date - timedelta(days=_DUMP_AGE_DAYS[provider])).isoformat()
        return day if provider == "minhareceita" else f"{day}T00:54:12Z"

    def updated(self, changes: Mapping[str, Any]) -> SandboxConfig:
        """A copy with `changes` applied (partial; the two maps are merged); raises ValueError on bad input."""
        unknown = set(changes) - set(asdict(self))
        if unknown:
            raise ValueError(f"unknown settings: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for key, value in changes.items():
            if key in ("latency_ms", "latency_jitter_ms", "timeout_seconds"):
                values[key] = _number(key, value, minimum=0.0)
            elif key in ("fault_rate", "receitaws_wait_share"):
                values[key] = _rate(key, value)
            elif key == "opencnpj_challenge_per_hour":
                values[key] = _number(key, value, minimum=1.0)
            elif key == "as_of":
                values[key] = _day(key, value).isoformat()
            elif key == "dataset_dates":
                values[key] = {**self.dataset_dates, **{p: _dataset_date(p, d) for p, d in _map(key, value)}}
            elif key == "faults":
                values[key] = _faults(value)
            elif key == "fault_rate_by_provider":
                values[key] = {**self.fault_rate_by_provider, **{p: _rate(p, r) for p, r in _providers(key, value)}}
            elif key == "limits_per_min":
                values[key] = {**self.limits_per_min, **{p: _number(p, n, 1.0) for p, n in _providers(key, value)}}
            elif key == "rate_limits":
                values[key] = _flag(value)
            elif key == "seed":
                values[key] = None if value is None else int(value)
            elif key == "time_scale":
                values[key] = _number(key, value, minimum=0.0)
                if values[key] <= 0:
                    raise ValueError("time_scale must be > 0")
        return replace(self, **values)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["faults"] = list(self.faults)
        data["window_seconds"] = self.window_seconds  # read-only: derived from time_scale
        data["dataset_dates"] = {p: self.dataset_date(p) for p in _DUMP_AGE_DAYS}
        return data

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SandboxConfig:
        env = os.environ if environ is None else environ
        changes: dict[str, Any] = {}
        names = {
            "RADAR_SANDBOX_LATENCY_MS": "latency_ms",
            "RADAR_SANDBOX_LATENCY_JITTER_MS": "latency_jitter_ms",
            "RADAR_SANDBOX_FAULT_RATE": "fault_rate",
            "RADAR_SANDBOX_FAULTS": "faults",
            "RADAR_SANDBOX_RATE_LIMITS": "rate_limits",
            "RADAR_SANDBOX_TIMEOUT_SECONDS": "timeout_seconds",
            "RADAR_SANDBOX_SEED": "seed",
            "RADAR_SANDBOX_TIME_SCALE": "time_scale",
            "RADAR_SANDBOX_RECEITAWS_WAIT_SHARE": "receitaws_wait_share",
            "RADAR_SANDBOX_OPENCNPJ_CHALLENGE_PER_HOUR": "opencnpj_challenge_per_hour",
            "RADAR_SANDBOX_AS_OF": "as_of",
        }
        for var, key in names.items():
            if env.get(var, "") != "":
                changes[key] = env[var]
        limits = {
            p: env[f"RADAR_SANDBOX_LIMIT_{p.upper()}_PER_MIN"]
            for p in DEFAULT_LIMITS_PER_MIN
            if env.get(f"RADAR_SANDBOX_LIMIT_{p.upper()}_PER_MIN")
        }
        if limits:
            changes["limits_per_min"] = limits
        return cls().updated(changes)


def _number(key: str, value: Any, minimum: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be a number") from None
    if number < minimum:
        raise ValueError(f"{key} must be >= {minimum}")
    return number


def _rate(key: str, value: Any) -> float:
    rate = _number(key, value, 0.0)
    if rate > 1:
        raise ValueError(f"{key} must be between 0 and 1")
    return rate


def _day(key: str, value: Any) -> date:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(f"{key} must be a date (YYYY-MM-DD)") from None


def _dataset_date(provider: str, value: Any) -> str:
    if provider not in _DUMP_AGE_DAYS:
        raise ValueError(f"dataset_dates: no dump date for {provider!r}; known: {sorted(_DUMP_AGE_DAYS)}")
    _day(provider, value)
    return str(value)


def _faults(value: Any) -> tuple[str, ...]:
    kinds = [k.strip() for k in value.split(",") if k.strip()] if isinstance(value, str) else list(value)
    bad = [k for k in kinds if k not in FAULT_KINDS]
    if bad:
        raise ValueError(f"unknown faults {bad}; known: {list(FAULT_KINDS)}")
    return tuple(kinds)


def _map(key: str, value: Any) -> list[tuple[str, Any]]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{key} must be an object")
    return [(str(k), v) for k, v in value.items()]


def _providers(key: str, value: Any) -> list[tuple[str, Any]]:
    pairs = _map(key, value)
    unknown = sorted(p for p, _ in pairs if p not in DEFAULT_LIMITS_PER_MIN)
    if unknown:
        raise ValueError(f"{key}: unknown providers {unknown}; known: {list(DEFAULT_LIMITS_PER_MIN)}")
    return pairs


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("on", "true", "1", "yes"):
        return True
    if text in ("off", "false", "0", "no"):
        return False
    raise ValueError("rate_limits must be on/off or a boolean")
