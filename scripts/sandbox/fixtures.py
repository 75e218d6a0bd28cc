"""The fixture directory as the sandbox sees it: records and error samples per provider, reloaded on change."""

from __future__ import annotations

import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "PROVIDERS",
    "TWINS",
    "ErrorSample",
    "FixtureSet",
    "FixtureStore",
    "default_fixtures_dir",
    "parse_fixture_name",
]

PROVIDERS = ("cnpjws", "brasilapi", "receitaws", "minhareceita", "opencnpj", "cnpja")
# BrasilAPI proxies minha-receita: a record (or a not-found/invalid answer) of one is the other's too.
TWINS = {"brasilapi": "minhareceita", "minhareceita": "brasilapi"}
_CNPJ_TOKEN = re.compile(r"^[0-9A-Za-z]{12}[0-9]{2}$")
# Error-sample kinds (the token after `error_`) and what they stand for.
_ERROR_ROLES = {
    "400": "invalid",
    "model": "invalid",
    "cnpj-invalido": "invalid",
    "404": "not_found",
    "rejeitado": "not_found",
    "500": "server_error",
    "405": "method_not_allowed",
    "429": "rate_limited",
}
_DATASETS_PREFIX = "datasets-"


def default_fixtures_dir() -> Path:
    """RADAR_SANDBOX_FIXTURES, else shared/fixtures/providers beside the repository (or beside a folder above it,
    so a git worktree in a subfolder finds the same payloads)."""
    override = os.environ.get("RADAR_SANDBOX_FIXTURES")
    if override:
        return Path(override)
    repo = Path(__file__).resolve().parents[2]
    for folder in repo.parents:
        candidate = folder / "shared" / "fixtures" / "providers"
        if candidate.is_dir():
            return candidate
    return repo.parent / "shared" / "fixtures" / "providers"


@dataclass(frozen=True)
class ErrorSample:
    """A captured error answer: the provider's body format for one kind of error, and the CNPJ it was for."""

    provider: str
    role: str  # invalid | not_found | server_error | method_not_allowed | rate_limited
    status: int
    body: Any
    cnpj: str | None
    subject: str | None = None  # a non-CNPJ input the body echoes (minha-receita's "CNPJ foobar inválido.")


@dataclass(frozen=True)
class FixtureName:
    provider: str
    cnpj: str | None
    error_kind: str | None
    tokens: tuple[str, ...] = ()  # what follows the CNPJ or the error kind

    @property
    def datasets(self) -> tuple[str, ...] | None:
        """`opencnpj_<CNPJ>_datasets-ceis-cepim-cnep.json`: the answer to ?datasets=ceis,cepim,cnep."""
        token = next((t for t in self.tokens if t.startswith(_DATASETS_PREFIX)), None)
        return None if token is None else tuple(token[len(_DATASETS_PREFIX) :].split("-"))


def parse_fixture_name(filename: str) -> FixtureName | None:
    """`<provider>[-variant]_<CNPJ>[_anything].json` or `<provider>_error_<kind>[_...][_<CNPJ>].json`."""
    if not filename.endswith(".json"):
        return None
    parts = filename[: -len(".json")].split("_")
    provider = parts[0].split("-")[0]
    if provider not in PROVIDERS or len(parts) < 2:
        return None
    if parts[1] == "error":
        if len(parts) < 3:
            return None
        cnpj = next((p.upper() for p in reversed(parts[3:]) if _CNPJ_TOKEN.match(p)), None)
        return FixtureName(provider, cnpj, parts[2], tuple(parts[3:]))
    if not _CNPJ_TOKEN.match(parts[1]):
        return None
    return FixtureName(provider, parts[1].upper(), None, tuple(parts[2:]))


@dataclass
class FixtureSet:
    """A consistent view: records[cnpj][provider], dataset answers, and error samples by CNPJ and by role."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    errors_by_cnpj: dict[str, dict[str, ErrorSample]] = field(default_factory=dict)
    templates: dict[tuple[str, str], ErrorSample] = field(default_factory=dict)
    # OpenCNPJ's optional datasets (ceis, cnep, ...) per CNPJ: {"ceis": null, ...}.
    datasets: dict[str, dict[str, Any]] = field(default_factory=dict)

    def known(self, cnpj: str) -> bool:
        """Some provider serves a record for this CNPJ or says it does not exist: then a provider without a fixture
        for it answers not found rather than inventing a company. (A captured server error proves nothing.)"""
        if cnpj in self.records:
            return True
        return any(s.role == "not_found" for s in self.errors_by_cnpj.get(cnpj, {}).values())

    def record(self, cnpj: str, provider: str) -> Any:
        """The provider's own record, else its twin's (BrasilAPI's 200 is minha-receita's)."""
        records = self.records.get(cnpj, {})
        if provider in records:
            return records[provider]
        twin = TWINS.get(provider)
        return records.get(twin) if twin else None

    def error_sample(self, cnpj: str, provider: str) -> ErrorSample | None:
        """The provider's captured error for this CNPJ, else its twin's invalid/not-found one (to be re-shaped)."""
        samples = self.errors_by_cnpj.get(cnpj, {})
        if provider in samples:
            return samples[provider]
        twin = TWINS.get(provider)
        sample = samples.get(twin) if twin else None
        return sample if sample is not None and sample.role in ("invalid", "not_found") else None


class FixtureStore:
    """Reads `directory`; each call to `current()` re-stats the files and re-reads the ones whose mtime or size
    changed, so a test can edit a fixture between two requests. A missing directory means no fixtures."""

    def __init__(self, directory: Path | str | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_fixtures_dir()
        self._parsed: dict[str, tuple[tuple[int, int], Any]] = {}
        self._lock = threading.Lock()

    def current(self) -> FixtureSet:
        with self._lock:
            fixtures = FixtureSet()
            seen: set[str] = set()
            for entry in self._entries():
                name = parse_fixture_name(entry.name)
                if name is None:
                    continue
                payload = self._load(entry)
                seen.add(entry.path)
                if payload is None:
                    continue
                self._index(fixtures, name, payload)
            for stale in set(self._parsed) - seen:
                del self._parsed[stale]
            return fixtures

    def _entries(self) -> list[os.DirEntry[str]]:
        try:
            return sorted((e for e in os.scandir(self.directory) if e.is_file()), key=lambda e: e.name)
        except FileNotFoundError:
            return []

    def _load(self, entry: os.DirEntry[str]) -> Any:
        stat = entry.stat()
        signature = (stat.st_mtime_ns, stat.st_size)
        cached = self._parsed.get(entry.path)
        if cached is not None and cached[0] == signature:
            return cached[1]
        try:
            payload = json.loads(Path(entry.path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            payload = None  # half-written or broken file: skip it until it changes again
        self._parsed[entry.path] = (signature, payload)
        return payload

    @staticmethod
    def _index(fixtures: FixtureSet, name: FixtureName, payload: Any) -> None:
        if name.error_kind is None:
            assert name.cnpj is not None
            if name.datasets is not None:
                if isinstance(payload, dict):
                    fixtures.datasets.setdefault(name.cnpj, {}).update(payload)
                return
            # First file wins for a provider/CNPJ pair (sorted names: the plain one before variants).
            fixtures.records.setdefault(name.cnpj, {}).setdefault(name.provider, payload)
            return
        role = _ERROR_ROLES.get(name.error_kind)
        if role is None:
            return
        if name.provider == "receitaws":
            status = 200  # ReceitaWS answers its errors with HTTP 200 and status ERROR
        elif name.error_kind.isdigit():
            status = int(name.error_kind)
        else:
            status = 400
        text = json.dumps(payload, ensure_ascii=False)
        subject = next(
            (t for t in name.tokens if not _CNPJ_TOKEN.match(t) and re.search(rf"\b{re.escape(t)}\b", text)), None
        )
        sample = ErrorSample(name.provider, role, status, payload, name.cnpj, subject)
        fixtures.templates.setdefault((name.provider, role), sample)
        if name.cnpj is not None:
            fixtures.errors_by_cnpj.setdefault(name.cnpj, {}).setdefault(name.provider, sample)
