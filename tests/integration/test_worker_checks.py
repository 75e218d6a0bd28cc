"""Worker against the moto server: real SQS messages from the checks function, conditional status moves,
retry-later on busy providers, the last receive marks the check failed, DLQ, redrive, batch progress."""

from __future__ import annotations

import importlib.util
import io
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import boto3
import pytest

from radar.cnpj import Cnpj
from radar.lookup import CnpjNotFound
from tests.integration.test_checks_api import (
    ACME,
    OTHER,
    Api,
    FakeConnector,
    load_function,
    make_queues,
    rate_limited,
    receive_all,
    report,
)
from tests.support.aws import AwsResources

ROOT = Path(__file__).resolve().parents[2]
MAX_RECEIVES = 2


@pytest.fixture(scope="module")
def queues(aws: AwsResources) -> dict[str, str]:
    return make_queues(f"t-worker-{uuid.uuid4().hex[:8]}", max_receive_count=MAX_RECEIVES)


@pytest.fixture(scope="module")
def functions(queues: dict[str, str]) -> tuple[ModuleType, ModuleType]:
    env = {
        "CHECKS_QUEUE_URL": queues["CHECKS_QUEUE_URL"],
        "BATCH_QUEUE_URL": queues["CHECKS_QUEUE_URL"],  # one queue for both lanes: the tests poll it
        "CHECKS_DLQ_URL": queues["CHECKS_DLQ_URL"],
        "MAX_RECEIVE_COUNT": str(MAX_RECEIVES),
    }
    return (
        load_function("checks", "fn_checks_app_worker_tests", env),
        load_function("worker", "fn_worker_app_tests", env),
    )


@pytest.fixture
def connector(functions: tuple[ModuleType, ModuleType], monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeConnector]:
    checks_fn, worker_fn = functions
    fake = FakeConnector()
    monkeypatch.setattr(checks_fn, "get_lookup", lambda: fake)
    monkeypatch.setattr(worker_fn, "get_lookup", lambda: fake)
    worker_fn.worker.cache_clear()
    yield fake
    worker_fn.worker.cache_clear()


@pytest.fixture
def api(
    functions: tuple[ModuleType, ModuleType], lambda_context: Any, connector: FakeConnector, queues: dict[str, str]
) -> Api:
    for url in (queues["CHECKS_QUEUE_URL"], queues["CHECKS_DLQ_URL"]):  # nothing left over from another test
        for message in receive_all(url):
            boto3.client("sqs").delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return Api(functions[0], lambda_context, tenant_id=f"t-{uuid.uuid4().hex}")


def peek(queue_url: str) -> list[dict[str, Any]]:
    """The messages visible now, left visible."""
    sqs: Any = boto3.client("sqs")
    return list(
        sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0, VisibilityTimeout=0).get(
            "Messages", []
        )
    )


class Sqs:
    """Plays the event source mapping: receive from the queue, invoke the worker, delete what succeeded."""

    def __init__(self, worker_fn: ModuleType, queues: dict[str, str], context: Any) -> None:
        self.worker_fn, self.queues, self.context = worker_fn, queues, context
        self.client = boto3.client("sqs")

    def event(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "Records": [
                {
                    "messageId": m["MessageId"],
                    "receiptHandle": m["ReceiptHandle"],
                    "body": m["Body"],
                    "attributes": m["Attributes"],
                    "messageAttributes": {},
                    "md5OfBody": m["MD5OfBody"],
                    "eventSource": "aws:sqs",
                    "eventSourceARN": self.queues["QUEUE_ARN"],
                    "awsRegion": "us-east-1",
                }
                for m in messages
            ]
        }

    def poll(self) -> tuple[list[dict[str, Any]], list[str]]:
        """One delivery of everything visible; returns (messages, ids the worker reported failed)."""
        messages = receive_all(self.queues["CHECKS_QUEUE_URL"])
        if not messages:
            return [], []
        answer = self.worker_fn.lambda_handler(self.event(messages), self.context)
        failed = [f["itemIdentifier"] for f in answer["batchItemFailures"]]
        for message in messages:
            if message["MessageId"] not in failed:
                self.client.delete_message(
                    QueueUrl=self.queues["CHECKS_QUEUE_URL"], ReceiptHandle=message["ReceiptHandle"]
                )
        return messages, failed

    def dispatch(self) -> None:
        """Deliver the batch page messages waiting (the fan-out), which puts the batch's checks on the queue."""
        messages, failed = self.poll()
        assert messages and failed == []
        assert all('"kind":"batch_page"' in m["Body"] for m in messages)

    def make_visible(self, messages: list[dict[str, Any]]) -> None:
        """Time travel: end the retry delay now instead of waiting for it."""
        for message in messages:
            self.client.change_message_visibility(
                QueueUrl=self.queues["CHECKS_QUEUE_URL"], ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
            )


@pytest.fixture
def sqs(functions: tuple[ModuleType, ModuleType], queues: dict[str, str], lambda_context: Any) -> Sqs:
    return Sqs(functions[1], queues, lambda_context)


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    from radar.observability import logger

    handlers = [h for h in logger.handlers if hasattr(h, "setStream")]
    buffer = io.StringIO()
    previous = [h.setStream(buffer) for h in handlers]
    yield buffer
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


def test_queued_check_runs_once_even_when_the_message_comes_back(
    api: Api, sqs: Sqs, connector: FakeConnector, log_output: io.StringIO
) -> None:
    connector.will(ACME, report(partners=(("MARIA SILVA", "***123456**"),)))
    _, queued, _ = api("POST", f"/targets/{api.target()}/checks", query={"async": "true"})
    request_id = api.last_request_id
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == []
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "succeeded" and check["attempts"] == 1
    assert check["report"]["partners"][0]["name"] == "MARIA SILVA"
    timings = check["timings"]
    assert timings["queued_at"] <= timings["started_at"] <= timings["finished_at"]

    # At-least-once delivery: the same message again must not run the finished check again.
    answer = sqs.worker_fn.lambda_handler(sqs.event(messages), sqs.context)
    assert answer["batchItemFailures"] == []
    assert connector.calls == [ACME]

    lines = [json.loads(line) for line in log_output.getvalue().splitlines() if line.startswith("{")]
    done = next(line for line in lines if line.get("message") == "check succeeded")
    assert done["correlation_id"] == request_id
    assert done["tenant_id"] == api.tenant_id and done["check_id"] == queued["id"]
    assert "MARIA" not in log_output.getvalue()


def test_busy_providers_retry_later_then_the_last_receive_fails_the_check_and_the_dlq_gets_it(
    api: Api, sqs: Sqs, connector: FakeConnector, queues: dict[str, str]
) -> None:
    connector.will(ACME, rate_limited(30))
    _, queued, _ = api("POST", f"/targets/{api.target()}/checks", query={"async": "true"})

    messages, failed = sqs.poll()
    assert failed == [messages[0]["MessageId"]]  # reported failed, so SQS delivers it again
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "queued" and check["timings"]["retry_at"]  # waiting, not failed
    assert [e["outcome"] for e in check["errors"]] == ["rate_limited", "rate_limited", "transient"]
    # The retry hint moved the message's next delivery 30 s away: it is not visible again right after.
    time.sleep(1.2)
    assert peek(queues["CHECKS_QUEUE_URL"]) == []

    sqs.make_visible(messages)
    messages, failed = sqs.poll()
    assert messages[0]["Attributes"]["ApproximateReceiveCount"] == str(MAX_RECEIVES)
    assert failed == [messages[0]["MessageId"]]
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "failed" and check["failure_reason"] == "providers_unavailable_after_retries"
    assert check["attempts"] == MAX_RECEIVES and check["errors"][0]["provider"] == "cnpjws"

    sqs.make_visible(messages)
    assert sqs.poll() == ([], [])  # past maxReceiveCount SQS moves it to the DLQ
    dead = peek(queues["CHECKS_DLQ_URL"])
    assert [json.loads(m["Body"])["check_id"] for m in dead] == [queued["id"]]


def test_redrive_reopens_dead_checks_and_the_worker_finishes_them(
    api: Api, sqs: Sqs, connector: FakeConnector, queues: dict[str, str], aws: AwsResources
) -> None:
    connector.will(ACME, rate_limited(30))
    _, queued, _ = api("POST", f"/targets/{api.target()}/checks", query={"async": "true"})
    for _ in range(MAX_RECEIVES):
        messages, _ = sqs.poll()
        sqs.make_visible(messages)
    assert sqs.poll() == ([], [])

    spec = importlib.util.spec_from_file_location("redrive_dlq_script", ROOT / "scripts" / "redrive_dlq.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    argv = ["--dlq-url", queues["CHECKS_DLQ_URL"], "--queue-url", queues["CHECKS_QUEUE_URL"], "--table", aws.main_table]
    assert script.main([*argv, "--dry-run"]) == 0
    assert api("GET", f"/checks/{queued['id']}")[1]["status"] == "failed"  # a dry run changes nothing
    assert len(peek(queues["CHECKS_DLQ_URL"])) == 1  # ...and leaves the message where it was
    assert script.main(argv) == 0
    _, reopened, _ = api("GET", f"/checks/{queued['id']}")
    assert reopened["status"] == "queued" and reopened["failure_reason"] is None
    assert peek(queues["CHECKS_DLQ_URL"]) == []

    connector.will(ACME, report())
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == []
    assert api("GET", f"/checks/{queued['id']}")[1]["status"] == "succeeded"


def test_batch_progress_follows_the_worker(api: Api, sqs: Sqs, connector: FakeConnector) -> None:
    connector.will(OTHER, CnpjNotFound(Cnpj(OTHER)))
    _, batch, _ = api("POST", "/checks/batch", {"cnpjs": [ACME, OTHER, "bad"]})
    sqs.dispatch()
    _, before, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert before["counts"] == {"queued": 2, "running": 0, "succeeded": 0, "failed": 0}

    messages, failed = sqs.poll()
    assert len(messages) == 2 and failed == []  # a CNPJ that does not exist is a final answer, not a retry
    _, after, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert after["counts"] == {"queued": 0, "running": 0, "succeeded": 1, "failed": 1}
    assert after["done"] is True and after["accepted"] == 2
    _, failed_checks, _ = api("GET", f"/checks/batch/{batch['batch_id']}/checks", query={"status": "failed"})
    assert [(c["cnpj"], c["failure_reason"]) for c in failed_checks["items"]] == [(OTHER, "cnpj_not_found")]


def test_a_worker_killed_right_after_a_check_finishes_leaves_the_batch_counting_it_finished(
    api: Api, sqs: Sqs, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    from radar.checks.repository import CheckRepository

    _, batch, _ = api("POST", "/checks/batch", {"cnpjs": [ACME]})
    sqs.dispatch()
    real_transition = CheckRepository.transition

    def killed_after_a_final_write(self: CheckRepository, *args: Any, **kwargs: Any) -> Any:
        moved = real_transition(self, *args, **kwargs)
        if kwargs["to"] in {"succeeded", "failed"}:
            raise SystemExit("worker killed")  # the process dies: nothing after this write runs
        return moved

    monkeypatch.setattr(CheckRepository, "transition", killed_after_a_final_write)
    messages = receive_all(sqs.queues["CHECKS_QUEUE_URL"])
    with pytest.raises(SystemExit):
        sqs.worker_fn.lambda_handler(sqs.event(messages), sqs.context)
    monkeypatch.setattr(CheckRepository, "transition", real_transition)

    sqs.make_visible(messages)  # the killed invocation's message comes back
    redelivered, failed = sqs.poll()
    assert len(redelivered) == 1 and failed == []
    _, after, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert after["counts"] == {"queued": 0, "running": 0, "succeeded": 1, "failed": 0}
    assert after["done"] is True
    assert connector.calls == [ACME]  # the finished check was not looked up again


def test_message_for_a_deleted_target_is_dropped(
    api: Api, sqs: Sqs, connector: FakeConnector, functions: tuple[ModuleType, ModuleType], lambda_context: Any
) -> None:
    target_id = api.target()
    api("POST", f"/targets/{target_id}/checks", query={"async": "true"})
    targets_fn = load_function("targets", "fn_targets_app_worker_tests")
    event = json.loads((ROOT / "events" / "targets" / "delete_targets_target_id.json").read_text())
    event.update(path=f"/targets/{target_id}")
    event["requestContext"]["authorizer"].update(tenant_id=api.tenant_id)
    assert targets_fn.lambda_handler(event, lambda_context)["statusCode"] == 204

    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == []
    assert connector.calls == []


def test_partial_batch_reports_only_the_deferred_record(api: Api, sqs: Sqs, connector: FakeConnector) -> None:
    connector.will(ACME, rate_limited(20))
    connector.will(OTHER, report(OTHER))
    _, batch, _ = api("POST", "/checks/batch", {"cnpjs": [ACME, OTHER]})
    sqs.dispatch()
    messages, failed = sqs.poll()
    by_cnpj = {json.loads(m["Body"])["cnpj"]: m["MessageId"] for m in messages}
    assert failed == [by_cnpj[ACME]]
    _, progress, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert progress["counts"] == {"queued": 1, "running": 0, "succeeded": 1, "failed": 0}


def test_a_check_that_only_waits_for_capacity_gets_a_fresh_message_and_spends_no_receive(
    api: Api, sqs: Sqs, connector: FakeConnector, queues: dict[str, str]
) -> None:
    from radar.lookup.errors import ProvidersUnavailable
    from radar.lookup.schemas import ProviderAttempt

    waiting = ProvidersUnavailable(
        [ProviderAttempt(provider="cnpjws", outcome="rate_limited", message="skipped: next request slot in 1.2 s")],
        2,
        waiting_for_capacity=True,
        eta_seconds=1.2,
    )
    connector.will(ACME, waiting, waiting, report())
    _, queued, _ = api("POST", f"/targets/{api.target()}/checks", query={"async": "true"})
    for wait in (1, 2):
        messages, failed = sqs.poll()
        # The record succeeds (its message is deleted); a fresh one, delayed to the predicted slot, replaces it.
        assert len(messages) == 1 and failed == []
        assert messages[0]["Attributes"]["ApproximateReceiveCount"] == "1"
        _, check, _ = api("GET", f"/checks/{queued['id']}")
        assert check["status"] == "queued" and check["capacity_waits"] == wait and check["timings"]["retry_at"]
        assert peek(queues["CHECKS_QUEUE_URL"]) == []  # not before its delay
        time.sleep(2.2)
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == [] and messages[0]["Attributes"]["ApproximateReceiveCount"] == "1"
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "succeeded" and check["capacity_waits"] == 2
    assert peek(queues["CHECKS_DLQ_URL"]) == []


def test_a_delivery_of_a_check_another_delivery_holds_runs_nothing_and_takes_over_once_the_lease_ends(
    api: Api, sqs: Sqs, connector: FakeConnector
) -> None:
    from radar.checks.models import CheckStatus
    from radar.checks.repository import CheckRepository

    _, queued, _ = api("POST", f"/targets/{api.target()}/checks", query={"async": "true"})
    # Another delivery claimed it (and then its worker died): running, its lease 2 s from now.
    CheckRepository().transition(
        api.tenant_id,
        queued["id"],
        expected=[CheckStatus.QUEUED],
        to=CheckStatus.RUNNING,
        fields={"lease_until": time.time() + 2},
    )
    messages, failed = sqs.poll()
    assert failed == [messages[0]["MessageId"]] and connector.calls == []  # no second lookup
    assert sqs.poll() == ([], [])  # it comes back only when the lease ends
    time.sleep(3.2)
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == [] and connector.calls == [ACME]
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "succeeded"


def test_a_poison_message_fails_its_record_and_logs_no_word_of_its_content(
    sqs: Sqs, queues: dict[str, str], log_output: io.StringIO
) -> None:
    """Issue 13 point 7: the worker used to logger.exception the pydantic error, whose text quotes the message."""
    body = json.dumps({"tenant_id": 7, "check_id": "joana.poison@example.com", "partners": ["JOANA DARC DA SILVA"]})
    boto3.client("sqs").send_message(QueueUrl=queues["CHECKS_QUEUE_URL"], MessageBody=body)
    messages, failed = sqs.poll()
    assert [m["MessageId"] for m in messages] == failed  # it comes back, and reaches the DLQ after maxReceiveCount
    text = log_output.getvalue()
    assert "unreadable queue message" in text and '"tenant_id"' in text  # the field names it had wrong
    assert "JOANA" not in text and "joana.poison" not in text and "[email]" not in text


def test_two_concurrent_deliveries_of_one_message_run_one_lookup_and_count_one_unit(
    api: Api, sqs: Sqs, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim carries its own condition (status and lease) in the write: two copies delivered at once, with no
    read between them that both could pass, make one lookup, one success and one counted unit."""
    from radar.metering.service import UsageMeter

    real_lookup = connector.lookup

    def slow_lookup(cnpj: Cnpj, **kwargs: Any) -> Any:
        time.sleep(0.5)  # the other copy arrives while this one is still looking up
        return real_lookup(cnpj, **kwargs)

    monkeypatch.setattr(connector, "lookup", slow_lookup)
    _, queued, _ = api("POST", f"/targets/{api.target()}/checks", query={"async": "true"})
    [message] = receive_all(sqs.queues["CHECKS_QUEUE_URL"])
    answer = sqs.worker_fn.lambda_handler(sqs.event([message, dict(message, MessageId="copy")]), sqs.context)
    assert connector.calls == [ACME]
    # The copy that lost the claim (either one) comes back after the winner's lease, or is dropped once the check
    # finished; the winner's record succeeds.
    assert len(answer["batchItemFailures"]) <= 1
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "succeeded" and check["attempts"] == 1
    assert UsageMeter(sqs.worker_fn.ENV.main_table).used(api.tenant_id) == 1
def test_a_second_copy_of_a_waiting_checks_message_sends_no_second_fresh_message(
    api: Api, sqs: Sqs, connector: FakeConnector, queues: dict[str, str]
) -> None:
    """SQS delivers a message twice; the copy that comes after the first moved the check to its wait must not pass
    the check on again (each copy did: two messages for one check, then four, each one more delivery to drop)."""
    from radar.lookup.errors import ProvidersUnavailable
    from radar.lookup.schemas import ProviderAttempt

    waiting = ProvidersUnavailable(
        [ProviderAttempt(provider="cnpjws", outcome="rate_limited", message="skipped: next request slot in 3 s")],
        3,
        waiting_for_capacity=True,
        eta_seconds=3.0,
    )
    connector.will(ACME, waiting, report())
    _, queued, _ = api("POST", f"/targets/{api.target()}/checks", query={"async": "true"})
    [message] = receive_all(queues["CHECKS_QUEUE_URL"])
    for _ in range(2):  # one receive, delivered twice, the second after the first's wait
        answer = sqs.worker_fn.lambda_handler(sqs.event([message]), sqs.context)
        assert answer["batchItemFailures"] == []
    sqs.client.delete_message(QueueUrl=queues["CHECKS_QUEUE_URL"], ReceiptHandle=message["ReceiptHandle"])
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "queued" and check["capacity_waits"] == 1
    time.sleep(3.5)  # past the fresh message's delay
    fresh = peek(queues["CHECKS_QUEUE_URL"])
    assert len(fresh) == 1, [m["Body"] for m in fresh]  # one message carries the check on, not one per copy
    messages, failed = sqs.poll()
    assert len(messages) == 1 and failed == []
    _, check, _ = api("GET", f"/checks/{queued['id']}")
    assert check["status"] == "succeeded" and connector.calls == [ACME, ACME]
