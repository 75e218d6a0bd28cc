"""Each tenant's own API Gateway usage key in its plan's usage plan (quota per tenant, not per tier).

Not the monthly check allowance (radar.metering): these are the gateway's keys, rate and quota of API requests.
Imports: aws, errors, tiers.
"""

from __future__ import annotations

import contextlib
import secrets
from typing import Any

from radar.aws import client as aws_client
from radar.errors import DependencyUnavailable
from radar.tiers import UnknownPlan

__all__ = ["GatewayKeys"]


class GatewayKeys:
    """API Gateway control-plane calls (work on AWS and on moto): create, move between plans, delete.

    `plan_ids` maps each plan to its usage plan id (the auth function's USAGE_PLAN_IDS).
    """

    def __init__(self, plan_ids: dict[str, str], client: Any = None) -> None:
        self._plan_ids = plan_ids
        self._client = client

    def _apigw(self) -> Any:
        return self._client or aws_client("apigateway")

    def plan_id(self, plan: str) -> str:
        try:
            return self._plan_ids[plan]
        except KeyError as exc:
            raise UnknownPlan(
                f"there is no usage plan for the {plan!r} plan",
                details=[{"field": "plan", "reason": "unknown_plan", "message": f"unknown plan {plan!r}"}],
            ) from exc

    def create(self, tenant_id: str, plan: str) -> tuple[str, str]:
        """A new enabled key in the plan's usage plan: (key id, key value)."""
        from botocore.exceptions import BotoCoreError, ClientError

        plan_id = self.plan_id(plan)
        value = secrets.token_urlsafe(30)  # API Gateway wants at least 20 characters
        client = self._apigw()
        try:
            key_id = str(client.create_api_key(name=f"tenant-{tenant_id}", value=value, enabled=True)["id"])
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable("could not create the tenant's usage key") from exc
        try:
            client.create_usage_plan_key(usagePlanId=plan_id, keyId=key_id, keyType="API_KEY")
        except (BotoCoreError, ClientError) as exc:
            self.delete(key_id)
            raise DependencyUnavailable("could not register the tenant's usage key") from exc
        return key_id, value

    def move(self, key_id: str, old_plan: str, new_plan: str) -> None:
        """Out of the old usage plan, into the new one (a key may sit in one plan per API stage)."""
        from botocore.exceptions import BotoCoreError, ClientError

        old_id, new_id = self.plan_id(old_plan), self.plan_id(new_plan)
        client = self._apigw()
        try:
            client.delete_usage_plan_key(usagePlanId=old_id, keyId=key_id)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NotFoundException":
                raise DependencyUnavailable("could not change the tenant's usage plan") from exc
        except BotoCoreError as exc:
            raise DependencyUnavailable("could not change the tenant's usage plan") from exc
        try:
            client.create_usage_plan_key(usagePlanId=new_id, keyId=key_id, keyType="API_KEY")
        except (BotoCoreError, ClientError) as exc:
            # Put the key back where it was, so the tenant keeps working on its old plan.
            with contextlib.suppress(BotoCoreError, ClientError):
                client.create_usage_plan_key(usagePlanId=old_id, keyId=key_id, keyType="API_KEY")
            raise DependencyUnavailable("could not change the tenant's usage plan") from exc

    def delete(self, key_id: str) -> None:
        """Delete the key (API Gateway also drops it from its usage plans); a missing key is fine."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._apigw().delete_api_key(apiKey=key_id)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "NotFoundException":
                raise DependencyUnavailable("could not delete the tenant's usage key") from exc
        except BotoCoreError as exc:
            raise DependencyUnavailable("could not delete the tenant's usage key") from exc

    def plan_of(self, key_id: str) -> list[str]:
        """The usage plan ids holding this key (for checks and tests)."""
        client = self._apigw()
        found = []
        for plan, plan_id in self._plan_ids.items():
            keys = client.get_usage_plan_keys(usagePlanId=plan_id).get("items", [])
            if any(k.get("id") == key_id for k in keys):
                found.append(plan)
        return found
