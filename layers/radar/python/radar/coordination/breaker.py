"""Per-provider circuit breakers on DynamoDB: open after consecutive failures, probe half-open."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from radar.aws import is_conditional_failure
from radar.coordination._dynamo import (
    PREFETCHED,
    Clock,
    attr_number,
    attr_string,
    breaker_key,
    bucket_key,
    dynamodb_client,
    forget,
    now_seconds,
    read_items,
    recall,
    remember,
    sdk_errors_as_domain,
)

__all__ = ["CLOSED", "HALF_OPEN", "OPEN", "DynamoCircuitBreaker"]

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half_open"
# A success after this thread saw the breaker clean this recently writes nothing (the provider call in between).
_CLEAN_SEEN_SECONDS = 30.0
# How old a prefetched breaker may be for `allow` to decide on it (a probe it starts is still a conditional write).
_PREFETCH_SECONDS = 2.0


class DynamoCircuitBreaker:
    """CircuitBreaker with item `BREAKER#<provider>` (state, failures, opened_at, probe_at).

    closed -> open after `failure_threshold` consecutive failures (a success resets the count).
    open -> half_open after `open_seconds`: the first caller to flip it (conditional update) sends the probe,
    everyone else is refused until the probe reports. Probe success closes, probe failure reopens. A probe
    that never reports (its worker died) is replaced after another `open_seconds`.
    """

    def __init__(
        self,
        table_name: str,
        failure_threshold: int = 5,
        open_seconds: float = 30.0,
        *,
        clock: Clock | None = None,
    ) -> None:
        if failure_threshold < 1 or open_seconds <= 0:
            raise ValueError("failure_threshold must be >= 1 and open_seconds positive")
        self.table_name = table_name
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self._clock = clock

    def state(self, provider: str) -> str:
        """The stored state (closed when there is no item)."""
        return attr_string(self._read(provider), "state", CLOSED)

    def state_keys(self, breakers: Sequence[str], schedules: Sequence[str]) -> list[tuple[str, dict[str, Any]]]:
        """(table, key) of the named breakers and of the providers' rate-limit schedules (`BUCKET#<provider>`), in
        the order `read_ahead` takes them."""
        return [(self.table_name, {"pk": {"S": pk}}) for pk in _state_pks(breakers, schedules)]

    def read_ahead(
        self, breakers: Sequence[str], schedules: Sequence[str], items: Sequence[dict[str, Any] | None]
    ) -> None:
        """The items of `state_keys` as a caller just read them: `allow` and the limiter start from them."""
        for pk, item in zip(_state_pks(breakers, schedules), items, strict=False):
            remember(self.table_name, pk, item or {})
            remember(self.table_name, PREFETCHED + pk, item or {})

    def prefetch(self, breakers: Sequence[str], schedules: Sequence[str]) -> None:
        """Read the named breakers and the providers' schedules in one round trip, for the walk about to ask them
        in turn (`allow`, then the limiter, start from what it read); nothing when a caller just read them ahead."""
        pks = _state_pks(breakers, schedules)
        if all(recall(self.table_name, PREFETCHED + pk, _PREFETCH_SECONDS) is not None for pk in pks):
            return
        read_items(self.table_name, pks, ahead=True)

    def allow(self, provider: str) -> bool:
        """From the breaker as `prefetch` (or a caller's `read_ahead`) just read it, else read now."""
        item = recall(self.table_name, PREFETCHED + _key(provider), _PREFETCH_SECONDS, once=True)
        if item is None:
            item = self._read(provider)
            remember(self.table_name, _key(provider), item)
        state = attr_string(item, "state", CLOSED)
        if state == CLOSED:
            return True
        now = now_seconds(self._clock)
        if state == OPEN:
            if now < attr_number(item, "opened_at") + self.open_seconds:
                return False
            return self._start_probe(provider, expected_state=OPEN, stamp_name="opened_at", item=item, now=now)
        # half_open: a probe is out; replace it only if it has gone silent for a whole open period.
        if now < attr_number(item, "probe_at") + self.open_seconds:
            return False
        return self._start_probe(provider, expected_state=HALF_OPEN, stamp_name="probe_at", item=item, now=now)

    def record_success(self, provider: str) -> None:
        """Close the breaker and reset its count; nothing to write when this thread just saw it closed with no
        failures (the healthy steady state costs no round trip). Another worker's failure meanwhile then keeps its
        count: the breaker opens after `failure_threshold` failures with at most this one success among them."""
        seen = recall(self.table_name, _key(provider), _CLEAN_SEEN_SECONDS)
        if seen is not None and attr_string(seen, "state", CLOSED) == CLOSED and attr_number(seen, "failures") == 0:
            return
        try:
            with sdk_errors_as_domain("UpdateItem"):
                dynamodb_client().update_item(
                    TableName=self.table_name,
                    Key={"pk": {"S": _key(provider)}},
                    UpdateExpression="SET #state = :closed, failures = :zero REMOVE opened_at, probe_at",
                    # Healthy steady state writes nothing: only touch a breaker that has something to reset.
                    ConditionExpression="attribute_exists(pk) AND (failures > :zero OR #state <> :closed)",
                    ExpressionAttributeNames={"#state": "state"},
                    ExpressionAttributeValues={":closed": {"S": CLOSED}, ":zero": {"N": "0"}},
                )
        except Exception as exc:
            if not is_conditional_failure(exc):
                raise
        remember(self.table_name, _key(provider), {"state": {"S": CLOSED}, "failures": {"N": "0"}})

    def record_failure(self, provider: str) -> None:
        forget(self.table_name, _key(provider))
        with sdk_errors_as_domain("UpdateItem"):
            after = dynamodb_client().update_item(
                TableName=self.table_name,
                Key={"pk": {"S": _key(provider)}},
                UpdateExpression="ADD failures :one SET #state = if_not_exists(#state, :closed)",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={":one": {"N": "1"}, ":closed": {"S": CLOSED}},
                ReturnValues="ALL_NEW",
            )["Attributes"]
        state = attr_string(after, "state", CLOSED)
        failures = attr_number(after, "failures")
        if state == HALF_OPEN or (state == CLOSED and failures >= self.failure_threshold):
            self._open(provider, from_state=state)

    def _open(self, provider: str, *, from_state: str) -> None:
        now = now_seconds(self._clock)
        try:
            with sdk_errors_as_domain("UpdateItem"):
                dynamodb_client().update_item(
                    TableName=self.table_name,
                    Key={"pk": {"S": _key(provider)}},
                    UpdateExpression="SET #state = :open, opened_at = :now REMOVE probe_at",
                    ConditionExpression="#state = :from",
                    ExpressionAttributeNames={"#state": "state"},
                    ExpressionAttributeValues={
                        ":open": {"S": OPEN},
                        ":now": {"N": repr(now)},
                        ":from": {"S": from_state},
                    },
                )
        except Exception as exc:
            if is_conditional_failure(exc):
                return  # a concurrent failure (or a probe success) already moved the breaker
            raise
        from aws_lambda_powertools.metrics import MetricUnit

        from radar.observability import logger, metrics

        metrics.add_metric(name="CircuitOpened", unit=MetricUnit.Count, value=1)
        logger.warning("circuit opened", extra={"provider": provider, "from_state": from_state})

    def _start_probe(self, provider: str, *, expected_state: str, stamp_name: str, item: Any, now: float) -> bool:
        stamp = item.get(stamp_name, {"N": "0"})
        try:
            with sdk_errors_as_domain("UpdateItem"):
                dynamodb_client().update_item(
                    TableName=self.table_name,
                    Key={"pk": {"S": _key(provider)}},
                    UpdateExpression="SET #state = :half, probe_at = :now",
                    # Exactly one caller wins the transition it observed; the rest stay refused.
                    ConditionExpression=f"#state = :expected AND {stamp_name} = :stamp",
                    ExpressionAttributeNames={"#state": "state"},
                    ExpressionAttributeValues={
                        ":half": {"S": HALF_OPEN},
                        ":now": {"N": repr(now)},
                        ":expected": {"S": expected_state},
                        ":stamp": stamp,
                    },
                )
        except Exception as exc:
            if is_conditional_failure(exc):
                return False
            raise
        return True

    def _read(self, provider: str) -> dict[str, Any]:
        with sdk_errors_as_domain("GetItem"):
            response = dynamodb_client().get_item(
                TableName=self.table_name, Key={"pk": {"S": _key(provider)}}, ConsistentRead=True
            )
        return dict(response.get("Item", {}))


def _key(provider: str) -> str:
    return breaker_key(provider)


def _state_pks(breakers: Sequence[str], schedules: Sequence[str]) -> list[str]:
    return [_key(name) for name in breakers] + [bucket_key(name) for name in schedules]
