"""Demo seed: sign up (or log in to) the demo tenant over HTTP and mint a fresh API key for it."""

from __future__ import annotations

import base64
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import httpx

__all__ = ["DEMO_EMAIL", "DEMO_TENANT_NAME", "demo_password", "seed_demo"]

DEMO_TENANT_NAME = "Demo Diligence Ltda"
DEMO_EMAIL = "demo@cnpj-radar.dev"
PASSWORD_FILE = Path(__file__).resolve().parents[1] / ".local" / "demo-password"  # git-ignored


def demo_password() -> str:
    """The local demo account's password: RADAR_DEMO_PASSWORD, else one generated once per checkout and kept in
    .local/ (so re-seeding a persistent emulator logs in again). Never a literal in the code."""
    configured = os.environ.get("RADAR_DEMO_PASSWORD")
    if configured:
        return configured
    if PASSWORD_FILE.exists():
        return PASSWORD_FILE.read_text(encoding="utf-8").strip()
    value = f"Demo-{secrets.token_urlsafe(12)}-9a"
    PASSWORD_FILE.parent.mkdir(parents=True, exist_ok=True)
    PASSWORD_FILE.write_text(value, encoding="utf-8")
    PASSWORD_FILE.chmod(0o600)
    return value


def _tenant_of(access_token: str) -> str:
    # The token was just issued to us by our own API; reading its tenant claim needs no verification here.
    payload = access_token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["tid"])


def _raise_for(response: httpx.Response, what: str) -> None:
    if response.is_error:
        raise RuntimeError(f"{what} failed: HTTP {response.status_code} {response.text[:300]}")


def _still_works(http: httpx.Client, api_key: str) -> bool:
    return http.get("/usage", headers={"x-api-key": api_key}).status_code == 200


def seed_demo(base_url: str, *, client: httpx.Client | None = None, keep_key: str | None = None) -> dict[str, Any]:
    """Sign up the demo tenant (or log in when the e-mail exists) and create a fresh API key, or keep `keep_key`
    (the key of an earlier run, when the state was kept) if it still works.

    Returns {tenant_id, email, password, api_key, access_token}.
    """
    http = client or httpx.Client(base_url=base_url.rstrip("/"), timeout=30.0)
    password = demo_password()
    try:
        signup = http.post(
            "/auth/signup",
            json={"tenant_name": DEMO_TENANT_NAME, "email": DEMO_EMAIL, "password": password},
        )
        if signup.status_code == 409:
            login = http.post("/auth/login", json={"email": DEMO_EMAIL, "password": password})
            _raise_for(login, "demo login")
            access_token = str(login.json()["access_token"])
        else:
            _raise_for(signup, "demo signup")
            access_token = str(signup.json()["tokens"]["access_token"])
        if keep_key and _still_works(http, keep_key):
            api_key = keep_key
        else:
            key = http.post(
                "/api-keys",
                json={"name": "demo", "role": "analyst"},
                headers={"Authorization": f"Bearer {access_token}"},
            )
            _raise_for(key, "demo API key")
            api_key = str(key.json()["key"])
        return {
            "tenant_id": _tenant_of(access_token),
            "email": DEMO_EMAIL,
            "password": password,
            "api_key": api_key,
            "access_token": access_token,
        }
    finally:
        if client is None:
            http.close()


def main(argv: list[str] | None = None) -> int:
    """`make seed`: the demo tenant on the running local cloud (its URL from .local/state.json, or the argument)."""
    args = sys.argv[1:] if argv is None else argv
    if args:
        api_url = args[0]
    else:
        from scripts.localcloud.opsview import read_state

        try:
            api_url = str(read_state()["api_url"])
        except FileNotFoundError as exc:
            print(exc, file=sys.stderr)
            return 1
    try:
        seeded = seed_demo(api_url)
    except (RuntimeError, httpx.HTTPError) as exc:
        print(f"demo seed against {api_url} failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps({k: v for k, v in seeded.items() if k != "access_token"}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
