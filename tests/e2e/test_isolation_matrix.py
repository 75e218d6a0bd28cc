"""Two-tenant isolation matrix generated from docs/openapi.json: B never reads, writes, lists or deletes A's data."""

from __future__ import annotations

import json
import re
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from radar.cnpj import check_digits, format_cnpj
from tests.support.cloud import RunningCloud, Tenant

__all__: list[str] = []

SPEC = json.loads((Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text(encoding="utf-8"))
ROLES = ("admin", "analyst", "viewer")
RANK = {"viewer": 1, "analyst": 2, "admin": 3}
CREDENTIALS = ("api_key", "bearer")
PLAN = "enterprise"  # room above the free plan's 2 req/s for a few hundred calls

# The lowest role each protected route admits: the "who" column of the API table in /work/shared/docs/design.md
# ("user" for logout = any signed-in principal). Routes come from the spec; a route missing here fails
# test_every_protected_route_has_a_role_floor, so a new route needs a decision, not a silent skip.
ROLE_FLOOR: dict[tuple[str, str], str] = {
    ("POST", "/auth/logout"): "viewer",
    ("GET", "/api-keys"): "admin",
    ("POST", "/api-keys"): "admin",
    ("DELETE", "/api-keys/{key_id}"): "admin",
    ("GET", "/users"): "admin",
    ("POST", "/users"): "admin",
    ("GET", "/tenant"): "admin",
    ("DELETE", "/tenant"): "admin",
    ("GET", "/tenant/deletion"): "admin",
    ("PUT", "/tenant/plan"): "admin",
    ("POST", "/billing/checkout"): "admin",
    ("POST", "/billing/portal"): "admin",
    ("PATCH", "/users/{user_id}"): "admin",
    ("DELETE", "/users/{user_id}"): "admin",
    # Anyone may sign themselves out everywhere; another user (of any tenant) needs an admin.
    ("POST", "/users/{user_id}/sessions/revoke"): "admin",
    ("GET", "/me"): "viewer",
    ("GET", "/targets"): "viewer",
    ("POST", "/targets"): "analyst",
    ("GET", "/targets/{target_id}"): "viewer",
    ("PATCH", "/targets/{target_id}"): "analyst",
    ("DELETE", "/targets/{target_id}"): "analyst",
    ("POST", "/targets/{target_id}/checks"): "analyst",
    ("GET", "/targets/{target_id}/checks"): "viewer",
    ("GET", "/checks/{check_id}"): "viewer",
    ("POST", "/checks/batch"): "analyst",
    ("GET", "/checks/batch/{batch_id}"): "viewer",
    ("GET", "/checks/batch/{batch_id}/checks"): "viewer",
    ("GET", "/checks/batch/{batch_id}/results"): "viewer",
    ("GET", "/usage"): "viewer",
    ("GET", "/usage/report"): "admin",
    ("GET", "/audit"): "admin",
}


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    ]


PROTECTED = [(m, p, op) for m, p, op in _operations() if op.get("security")]
# Every operation whose path carries an id, with each id kind A owns (a check id is a sync or an async check's).
ID_VARIANTS = {"check_id": ("sync_check", "async_check")}
ID_ROUTES = [
    (m, p, variant)
    for m, p, _ in PROTECTED
    if "{" in p
    for name in re.findall(r"{(\w+)}", p)[:1]
    for variant in ID_VARIANTS.get(name, (name,))
]
# Reads of collections: protected GETs without an id in the path.
LIST_ROUTES = [(m, p) for m, p, _ in PROTECTED if m == "GET" and "{" not in p]


def _case_id(method: str, path: str, *rest: str) -> str:
    return " ".join((method, path, *rest))


def _valid_cnpj(seed: str) -> str:
    body = (seed + "0001")[-12:].rjust(12, "0")
    return body + check_digits(body)


@dataclass
class Principal:
    """One credential of a tenant: an API key of a role or a signed-in user's bearer token of that role."""

    kind: str
    role: str
    headers: dict[str, str]


@dataclass
class World:
    """Tenant A with one of every resource, tenant B with every credential kind and role, and A's secrets."""

    api_url: str
    a: Tenant
    b: Tenant
    a_ids: dict[str, str]
    principals: dict[tuple[str, str], Principal]
    a_markers: set[str] = field(default_factory=set)
    a_snapshot: dict[str, Any] = field(default_factory=dict)

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.api_url, timeout=60)


def _json_headers(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Content-Type": "application/json"}


def _call(http: httpx.Client, method: str, url: str, headers: dict[str, str], **kwargs: Any) -> httpx.Response:
    """One request; a gateway 429 (our friendly body) is waited out, as any client would."""
    for _ in range(20):
        response = http.request(method, url, headers=_json_headers(headers), **kwargs)
        if response.status_code != 429:
            return response
        assert "error" in response.json(), response.text
        time.sleep(0.5)
    return response


def _user_bearer(http: httpx.Client, tenant: Tenant, role: str) -> dict[str, str]:
    """Invite a user of `role` into `tenant` and sign it in: the bearer kind of credential for that role."""
    suffix = uuid.uuid4().hex[:10]
    email, password = f"{role}-{suffix}@example.com", f"Correct-Horse-{suffix}!"
    invited = _call(http, "POST", "/users", tenant.bearer(), json={"email": email, "role": role, "password": password})
    assert invited.status_code == 201, invited.text
    login = _call(http, "POST", "/auth/login", {}, json={"email": email, "password": password})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _create_a_resources(http: httpx.Client, a: Tenant) -> tuple[dict[str, str], set[str]]:
    admin = a.key("admin")
    suffix = uuid.uuid4().hex
    cnpj = _valid_cnpj(str(int(suffix[:10], 16))[:8])
    label = f"a-only-{suffix[:8]}"
    target = _call(http, "POST", "/targets", admin, json={"cnpj": format_cnpj(cnpj), "label": label, "tags": ["a"]})
    assert target.status_code == 201, target.text
    target_id = target.json()["id"]
    sync_check = _call(http, "POST", f"/targets/{target_id}/checks", admin)
    assert sync_check.status_code == 201, sync_check.text
    async_check = _call(http, "POST", f"/targets/{target_id}/checks", admin, params={"async": "true"})
    assert async_check.status_code == 202, async_check.text
    batch_cnpj = _valid_cnpj(str(int(suffix[10:20], 16))[:8])
    batch = _call(http, "POST", "/checks/batch", admin, json={"cnpjs": [batch_cnpj]})
    assert batch.status_code == 202, batch.text
    key = _call(http, "POST", "/api-keys", a.bearer(), json={"name": f"a-key-{suffix[:6]}", "role": "viewer"})
    assert key.status_code == 201, key.text
    user_email = f"a-user-{suffix[:10]}@example.com"
    user = _call(
        http,
        "POST",
        "/users",
        a.bearer(),
        json={"email": user_email, "role": "viewer", "password": f"Correct-Horse-{suffix[:10]}!"},
    )
    assert user.status_code == 201, user.text
    keys = _call(http, "GET", "/api-keys", a.bearer())
    assert keys.status_code == 200, keys.text
    # The key that ran A's checks: A's consumption report names it, B's never may.
    admin_key_id = next(k["key_id"] for k in keys.json()["items"] if k["name"] == "admin-key")
    ids = {
        "target_id": target_id,
        "sync_check": sync_check.json()["id"],
        "async_check": async_check.json()["id"],
        "batch_id": batch.json()["batch_id"],
        "key_id": key.json()["key_id"],
        "user_id": user.json().get("user_id") or user.json().get("id") or "",
    }
    markers = {v for v in ids.values() if v} | {
        a.tenant_id,
        cnpj,
        batch_cnpj,
        label,
        user_email,
        a.email,
        key.json()["prefix"].rstrip("."),
        admin_key_id,
    }
    return ids, markers


def _reread(http: httpx.Client, world: World, variant: str) -> Any:
    """What A sees of one of its resources (read as A's admin); compared before and after B's attempts."""
    admin = world.a.key("admin")
    ids = world.a_ids
    if variant == "target_id":
        target = _call(http, "GET", f"/targets/{ids['target_id']}", admin)
        checks = _call(http, "GET", f"/targets/{ids['target_id']}/checks", admin, params={"limit": 100})
        assert target.status_code == checks.status_code == 200, (target.text, checks.text)
        return {
            **{k: target.json()[k] for k in ("id", "cnpj", "label", "tags")},
            "check_ids": sorted(c["id"] for c in checks.json()["items"]),
        }
    if variant == "key_id":
        keys = _call(http, "GET", "/api-keys", admin)
        own = [k for k in keys.json()["items"] if k["key_id"] == ids["key_id"]]
        return {k: own[0][k] for k in ("key_id", "name", "role", "revoked")} if own else None
    if variant == "user_id":
        users = _call(http, "GET", "/users", admin)
        own = [u for u in users.json()["items"] if u["user_id"] == ids["user_id"]]
        return {k: own[0][k] for k in ("user_id", "role", "disabled")} if own else None
    if variant == "tenant":
        users = _call(http, "GET", "/users", admin)
        tenant = _call(http, "GET", "/tenant", admin)
        return {"plan": tenant.json()["plan"], "user_emails": sorted(u["email"] for u in users.json()["items"])}
    path = "/checks/batch/{}" if variant == "batch_id" else "/checks/{}"
    found = _call(http, "GET", path.format(ids[variant]), admin)
    return {"status": found.status_code, "id": found.json().get("id") or found.json().get("batch_id")}


SNAPSHOT_PARTS = ("target_id", "key_id", "user_id", "tenant", "sync_check", "async_check", "batch_id")


def _snapshot(http: httpx.Client, world: World) -> dict[str, Any]:
    return {part: _reread(http, world, part) for part in SNAPSHOT_PARTS}


@pytest.fixture(scope="module")
def world(cloud: RunningCloud) -> Iterator[World]:
    def ready_tenant() -> Tenant:
        tenant = cloud.signup()
        tenant.upgrade(PLAN, settle_s=0)
        return tenant

    def b_user_bearer(role: str) -> dict[str, str]:
        with httpx.Client(base_url=cloud.api_url, timeout=60) as http:
            return _user_bearer(http, b, role)

    # A's and B's set-up are independent: run them side by side (sign-ups and logins hash passwords).
    with ThreadPoolExecutor(max_workers=3) as pool:
        a, b = pool.map(lambda _: ready_tenant(), range(2))
        time.sleep(1.2)  # the gateway picks up usage plan changes on its own clock
        bearers = pool.map(b_user_bearer, ("analyst", "viewer"))
        with httpx.Client(base_url=cloud.api_url, timeout=60) as http:
            ids, markers = _create_a_resources(http, a)
        principals = {("api_key", role): Principal("api_key", role, b.key(role)) for role in ROLES}
        principals[("bearer", "admin")] = Principal("bearer", "admin", b.bearer())
        for role, headers in zip(("analyst", "viewer"), bearers, strict=True):
            principals[("bearer", role)] = Principal("bearer", role, headers)
    built = World(api_url=cloud.api_url, a=a, b=b, a_ids=ids, principals=principals, a_markers=markers)
    with httpx.Client(base_url=cloud.api_url, timeout=60) as http:
        built.a_snapshot = _snapshot(http, built)
    yield built


def _expected_status(method: str, path: str, role: str) -> int:
    return 404 if RANK[role] >= RANK[ROLE_FLOOR[(method, path)]] else 403


def _body_for(operation: dict[str, Any]) -> dict[str, Any] | None:
    """A small valid body for an operation (every string property set), plus the smuggled tenant id."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return None
    ref = content["schema"].get("$ref", "")
    schema = SPEC["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {})
    body: dict[str, Any] = {}
    for name, prop in schema.get("properties", {}).items():
        kinds = {prop.get("type")} | {alt.get("type") for alt in prop.get("anyOf", [])}
        if "string" in kinds:
            body[name] = prop["enum"][0] if prop.get("enum") else "from-tenant-b"  # an enum takes a valid value
    return body


def _operation(method: str, path: str) -> dict[str, Any]:
    return dict(SPEC["paths"][path][method.lower()])


def test_the_matrix_covers_every_id_bearing_route() -> None:
    spec_id_routes = {(m, p) for m, p, _ in PROTECTED if "{" in p}
    assert spec_id_routes == {(m, p) for m, p, _ in ID_ROUTES}
    assert len(spec_id_routes) >= 8  # targets x3, target checks x2, check, batch, api key


def test_every_protected_route_has_a_role_floor() -> None:
    assert {(m, p) for m, p, _ in PROTECTED} == set(ROLE_FLOOR)


@pytest.mark.parametrize("smuggle", [False, True], ids=["plain", "smuggled-tenant-id"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", CREDENTIALS)
@pytest.mark.parametrize(("method", "path", "variant"), ID_ROUTES, ids=[_case_id(*r) for r in ID_ROUTES])
def test_b_cannot_touch_a_by_id(
    world: World, method: str, path: str, variant: str, kind: str, role: str, smuggle: bool
) -> None:
    principal = world.principals[(kind, role)]
    param = re.findall(r"{(\w+)}", path)[0]
    url = path.replace("{" + param + "}", world.a_ids[variant])
    headers = dict(principal.headers)
    params: dict[str, str] = {}
    body = _body_for(_operation(method, path))
    if smuggle:
        headers["x-tenant-id"] = world.a.tenant_id
        params["tenant_id"] = world.a.tenant_id
        if body is not None:
            body["tenant_id"] = world.a.tenant_id
    with world.http() as http:
        response = _call(http, method, url, headers, params=params, json=body)
        expected = _expected_status(method, path, role)
        # A body carrying an unknown field is refused whole (422) before any lookup: rejected, never applied.
        allowed = {expected, 422} if smuggle and body is not None else {expected}
        assert response.status_code in allowed, f"{kind}/{role} {method} {url}: {response.status_code} {response.text}"
        code = response.json()["error"]["code"]
        assert code == {404: code if code.endswith("not_found") else "not_found", 403: "forbidden"}.get(
            response.status_code, "validation_error"
        ), response.text
        leaked = [m for m in world.a_markers - {world.a_ids[variant]} if m in response.text]
        assert not leaked, f"{method} {url} leaked {leaked}"
        if method != "GET":  # a refused write left A's resource as it was
            assert _reread(http, world, variant) == world.a_snapshot[variant], f"{kind}/{role} {method} {url}"


@pytest.mark.parametrize("smuggle", [False, True], ids=["plain", "smuggled-tenant-id"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", CREDENTIALS)
@pytest.mark.parametrize(("method", "path"), LIST_ROUTES, ids=[_case_id(*r) for r in LIST_ROUTES])
def test_b_lists_none_of_a(world: World, method: str, path: str, kind: str, role: str, smuggle: bool) -> None:
    principal = world.principals[(kind, role)]
    headers = dict(principal.headers)
    params: dict[str, str] = {}
    if smuggle:
        headers["x-tenant-id"] = world.a.tenant_id
        params["tenant_id"] = world.a.tenant_id
    with world.http() as http:
        response = _call(http, method, path, headers, params=params)
    floor = ROLE_FLOOR[(method, path)]
    expected = 200 if RANK[role] >= RANK[floor] else 403
    if path == "/tenant/deletion" and expected == 200:
        expected = 404  # B has no deletion job, and never sees A's
    assert response.status_code == expected, f"{kind}/{role} {path}: {response.status_code} {response.text}"
    leaked = [m for m in world.a_markers if m in response.text]
    assert not leaked, f"{kind}/{role} GET {path} showed A's {leaked}"
    if response.status_code == 200 and path == "/tenant":
        assert response.json()["tenant_id"] == world.b.tenant_id


def test_the_usage_report_is_the_callers_tenants_only(world: World) -> None:
    """A's report names the key that ran A's checks; B's admins, whatever they name in the query or headers, read
    B's own report (its totals are B's GET /usage) and never that key."""
    with world.http() as http:
        a_report = _call(http, "GET", "/usage/report", world.a.key("admin"))
        assert a_report.status_code == 200, a_report.text
        a_principals = {p["principal_id"] for p in a_report.json()["principals"]}
        [a_key] = [m for m in world.a_markers if m in a_principals]
        assert a_report.json()["totals"]["checks"] >= 3
        for kind in CREDENTIALS:
            headers = {**world.principals[(kind, "admin")].headers, "x-tenant-id": world.a.tenant_id}
            for params in ({}, {"tenant_id": world.a.tenant_id}, {"period": a_report.json()["period"]}):
                b_report = _call(http, "GET", "/usage/report", headers, params=params)
                assert b_report.status_code == 200, b_report.text
                assert a_key not in b_report.text and world.a.tenant_id not in b_report.text
                b_usage = _call(http, "GET", "/usage", headers).json()
                assert b_report.json()["totals"]["checks"] == b_usage["used"]
            as_csv = _call(http, "GET", "/usage/report", {**headers, "Accept": "text/csv"})
            assert as_csv.status_code == 200 and a_key not in as_csv.text


def test_b_cannot_log_out_a_session(world: World) -> None:
    """The one write that names another tenant's secret in the body: A's refresh token stays good."""
    with world.http() as http:
        login = _call(http, "POST", "/auth/login", {}, json={"email": world.a.email, "password": world.a.password})
        assert login.status_code == 200, login.text
        a_refresh = login.json()["refresh_token"]
        for principal in world.principals.values():
            response = _call(http, "POST", "/auth/logout", principal.headers, json={"refresh_token": a_refresh})
            assert response.status_code in (204, 404), response.text  # 204 = "revoked, or already unknown"
        refreshed = _call(http, "POST", "/auth/refresh", {}, json={"refresh_token": a_refresh})
        assert refreshed.status_code == 200, f"B's logout revoked A's session: {refreshed.text}"


def test_a_created_target_with_smuggled_tenant_id_is_refused(world: World) -> None:
    """A body naming another tenant is refused whole; the CNPJ lands in neither tenant."""
    cnpj = _valid_cnpj(str(uuid.uuid4().int)[:8])
    with world.http() as http:
        response = _call(
            http, "POST", "/targets", world.b.key("admin"), json={"cnpj": cnpj, "tenant_id": world.a.tenant_id}
        )
        assert response.status_code == 422, response.text
        for tenant in (world.a, world.b):
            listed = _call(http, "GET", "/targets", tenant.key("admin"), params={"limit": 100})
            assert cnpj not in listed.text


def test_a_still_sees_all_of_its_data(world: World) -> None:
    """After the whole matrix (this runs last in the module), A re-reads everything it owns, unchanged."""
    with world.http() as http:
        after = _snapshot(http, world)
    assert after == world.a_snapshot
    assert [after[name]["status"] for name in ("sync_check", "async_check", "batch_id")] == [200, 200, 200]
    assert after["key_id"] is not None and after["key_id"]["revoked"] is False
    assert len(after["target_id"]["check_ids"]) == 2
