"""Operator actions on a tenant's plan, out of band, with AWS credentials (never reachable with a tenant credential).

    python -m scripts.grant_plan grant --tenant <tenant id> --plan pro --reason "pilot until March" [--stack CnpjRadar]
    python -m scripts.grant_plan grant --tenant <tenant id> --plan free --reason "pilot over"     # revokes a grant
    python -m scripts.grant_plan grant ... --state .local/state.json                              # the local cloud

No HTTP route serves this: it runs as the operator, with the operator's own AWS credentials (IAM decides who may
write the main table and move usage keys), and the audit event names the operator by the STS caller ARN. It finds
the deployment the way the auth function is configured (its environment: main table, usage plans, billing
settings): on AWS from the `<stack>-auth` function's configuration, locally from the local cloud's state file.
A grant lifts the tenant to at least that plan until it is revoked; what the tenant pays for still applies when it
is higher (radar.billing.service).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["auth_environment", "grant_plan", "main", "operator_identity"]

REPO = Path(__file__).resolve().parents[1]


def auth_environment(*, state_file: Path | None = None, stack: str | None = None) -> tuple[dict[str, str], str | None]:
    """(the auth function's environment, the emulator endpoint or None for AWS)."""
    if stack:
        from radar.aws import client

        config = client("lambda").get_function_configuration(FunctionName=f"{stack}-auth")
        return dict(config.get("Environment", {}).get("Variables", {})), None
    path = state_file or Path(os.environ.get("RADAR_STATE_FILE", str(REPO / ".local" / "state.json")))
    state = json.loads(path.read_text(encoding="utf-8"))
    auth = next(f for f in state["functions"].values() if str(f["name"]).endswith("-auth"))
    return dict(auth["environment"]), str(state["endpoint"])


@contextmanager
def _emulator(endpoint: str | None) -> Iterator[None]:
    if endpoint is None:
        yield
        return
    from scripts.localcloud.aws import emulator_env

    saved = {name: os.environ.get(name) for name in emulator_env(endpoint)}
    os.environ.update(emulator_env(endpoint))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def operator_identity() -> str:
    """Who runs this: the caller ARN that STS authenticates (what CloudTrail records for the same calls)."""
    from radar.aws import client

    return str(client("sts").get_caller_identity()["Arn"])


_GRANTING = threading.Lock()


def grant_plan(tenant_id: str, plan: str, reason: str, *, state_file: Path | None = None,
               stack: str | None = None) -> dict[str, Any]:
    """Grant `plan` to the tenant (the default plan revokes a grant); returns what happened."""
    if not reason.strip():
        raise ValueError("a grant needs a reason (it is audited)")
    env, endpoint = auth_environment(state_file=state_file, stack=stack)
    # The emulator's environment and the bound table are process-wide: one grant at a time, so concurrent callers
    # in one process (a test's set-up threads) never restore each other's table or endpoint mid-grant.
    with _GRANTING, _emulator(endpoint):
        from radar.accounts.repository import TenantRepository
        from radar.billing.service import BillingService
        from radar.gateway_keys import GatewayKeys
        from radar.tables import bind_main_table, main_table_name
        from radar.tenants.settings import AuthEnv

        auth_env = AuthEnv.from_environ(env)
        previous = main_table_name()
        bind_main_table(auth_env.main_table)
        try:
            operator = operator_identity()
            service = BillingService(settings=auth_env.billing, tenants=TenantRepository(),
                                     gateway_keys=GatewayKeys(auth_env.usage_plan_ids))
            now = service.grant(tenant_id, plan, operator, reason.strip())
        finally:
            if previous:
                bind_main_table(previous)
    return {"tenant_id": tenant_id, "granted": plan, "plan": now, "operator": operator}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.grant_plan", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    grant = commands.add_parser("grant", help="grant a plan (or revoke a grant with the default plan)")
    grant.add_argument("--tenant", required=True)
    grant.add_argument("--plan", required=True)
    grant.add_argument("--reason", required=True, help="why (audited; no personal data)")
    where = grant.add_mutually_exclusive_group()
    where.add_argument("--stack", help="the deployed stack (CnpjRadar, CnpjRadar-staging, ...), with AWS credentials")
    where.add_argument("--state", type=Path, help="the local cloud's state file (default .local/state.json)")
    args = parser.parse_args(argv)
    from radar.errors import RadarError

    try:
        result = grant_plan(args.tenant, args.plan, args.reason, state_file=args.state, stack=args.stack)
    except (RadarError, ValueError, OSError) as exc:
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
