"""Where the CLI keeps credentials: one JSON file, 0600, in the user's config folder (never in a repository)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = ["Credentials", "config_dir", "forget", "load", "load_private", "save", "save_private"]


def config_dir() -> Path:
    """`RADAR_CONFIG_DIR`, else the platform's user config folder (e.g. ~/.config/cnpj-radar)."""
    override = os.environ.get("RADAR_CONFIG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("cnpj-radar", appauthor=False))


@dataclass
class Credentials:
    api_url: str
    api_key: str | None = None
    access_token: str | None = None
    refresh_token: str | None = None
    expires_at: float = 0.0
    email: str | None = None


def _file() -> Path:
    return config_dir() / "credentials.json"


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Created 0600 before anything is written, so the secret is never readable by others, not even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)


def load() -> Credentials | None:
    path = _file()
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    known = set(Credentials.__dataclass_fields__)
    return Credentials(**{k: v for k, v in data.items() if k in known})


def save(credentials: Credentials) -> Path:
    path = _file()
    _write_private(path, json.dumps(asdict(credentials), indent=2) + "\n")
    return path


def forget() -> bool:
    path = _file()
    if path.exists():
        path.unlink()
        return True
    return False


def save_private(name: str, data: Any) -> Path:
    """Another private file beside the credentials (the CLI keeps the batches it sent there)."""
    path = config_dir() / name
    _write_private(path, json.dumps(data, indent=2) + "\n")
    return path


def load_private(name: str) -> Any:
    path = config_dir() / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
