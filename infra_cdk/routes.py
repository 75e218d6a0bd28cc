"""Every REST route of API v1 and the function that serves it: the one list the CDK app builds the API from."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROTECTED", "PUBLIC", "ROUTES", "UNMETERED", "Route"]

PUBLIC = "public"
PROTECTED = "protected"
# Behind the authorizer but not the usage key: a deleted tenant's admin follows the deletion job after the purge
# removed the tenant's usage key (the key goes last), and a repeated DELETE /tenant still answers.
UNMETERED = "unmetered"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    function: str
    access: str = PROTECTED  # public routes skip the authorizer and the API key, unmetered ones the API key


ROUTES: tuple[Route, ...] = (
    Route("GET", "/health", "checks", PUBLIC),
    Route("GET", "/health/ready", "checks", PUBLIC),
    Route("POST", "/auth/signup", "auth", PUBLIC),
    Route("POST", "/auth/login", "auth", PUBLIC),
    Route("POST", "/auth/refresh", "auth", PUBLIC),
    Route("POST", "/auth/logout", "auth"),
    Route("GET", "/api-keys", "auth"),
    Route("POST", "/api-keys", "auth"),
    Route("DELETE", "/api-keys/{key_id}", "auth"),
    Route("GET", "/users", "auth"),
    Route("POST", "/users", "auth"),
    Route("PATCH", "/users/{user_id}", "auth"),
    Route("DELETE", "/users/{user_id}", "auth"),
    Route("POST", "/users/{user_id}/sessions/revoke", "auth"),
    Route("GET", "/me", "auth"),
    Route("GET", "/tenant", "auth"),
    Route("DELETE", "/tenant", "auth", UNMETERED),
    Route("GET", "/tenant/deletion", "auth", UNMETERED),
    Route("PUT", "/tenant/plan", "auth"),
    Route("GET", "/billing/plans", "auth", PUBLIC),
    Route("POST", "/billing/checkout", "auth"),
    Route("POST", "/billing/portal", "auth"),
    Route("POST", "/billing/webhook", "auth", PUBLIC),
    Route("GET", "/targets", "targets"),
    Route("POST", "/targets", "targets"),
    Route("GET", "/targets/{target_id}", "targets"),
    Route("PATCH", "/targets/{target_id}", "targets"),
    Route("DELETE", "/targets/{target_id}", "targets"),
    Route("POST", "/targets/{target_id}/checks", "checks"),
    Route("GET", "/targets/{target_id}/checks", "checks"),
    Route("GET", "/checks/{check_id}", "checks"),
    Route("POST", "/checks/batch", "checks"),
    Route("GET", "/checks/batch/{batch_id}", "checks"),
    Route("GET", "/checks/batch/{batch_id}/checks", "checks"),
    Route("GET", "/checks/batch/{batch_id}/results", "checks"),
    Route("GET", "/usage", "checks"),
    Route("GET", "/usage/report", "checks"),
    Route("GET", "/audit", "checks"),
)
