"""Batches against the moto server: 10,000-line CSV accepted with its invalid lines named, the fan-out behind it
(cached CNPJs answered without a provider call, the rest queued), resumable and duplicate-safe, the batch's checks
paged and filtered, the results download, the pacing of the next page."""

from __future__ import annotations

import csv
import io
import json
import uuid
from pathlib import Path
from typing import Any

import boto3
import pytest

from radar.cnpj import Cnpj, check_digits
from radar.lookup.schemas import LookupResult
from tests.integration.test_checks_api import ACME, OTHER, FakeConnector, receive_all, report
from tests.integration.test_worker_checks import Sqs, api, connector, functions, peek, queues, sqs  # noqa: F401

_EVENT = Path(__file__).resolve().parents[2] / "events" / "checks" / "get_usage.json"


def valid_cnpjs(count: int, *, seed: int = 0) -> list[str]:
    """`count` distinct, valid, bare CNPJs (base numbers from `seed`, branch 0001)."""
    out = []
    for n in range(seed, seed + count):
        base = f"{n + 10_000_000:08d}0001"
        out.append(base + check_digits(base))
    return out


def masked(cnpj: str) -> str:
    return f"{cnpj[:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:]}"


class CachingConnector(FakeConnector):
    """The fake chain with a shared cache: `from_cache` answers the CNPJs in `cached` (never a provider call)."""

    def __init__(self) -> None:
        super().__init__()
        self.cached: set[str] = set()

    def from_cache(self, cnpj: Cnpj) -> LookupResult | None:
        if cnpj.value not in self.cached:
            return None
        found = report(cnpj.value)
        return LookupResult(report=found, source=found.source, cached=True, attempts=[])


@pytest.fixture
def cache(functions: Any, monkeypatch: pytest.MonkeyPatch) -> CachingConnector:  # noqa: F811
    checks_fn, worker_fn = functions
    fake = CachingConnector()
    monkeypatch.setattr(checks_fn, "get_lookup", lambda: fake)
    monkeypatch.setattr(worker_fn, "get_lookup", lambda: fake)
    worker_fn.dispatcher.cache_clear()
    worker_fn.worker.cache_clear()
    yield fake
    worker_fn.dispatcher.cache_clear()
    worker_fn.worker.cache_clear()


def post_csv(api: Any, text: str) -> tuple[int, Any]:  # noqa: F811
    """POST /checks/batch with a text/csv body (the Api helper sends JSON)."""
    event = json.loads(_EVENT.read_text())
    event.update(httpMethod="POST", path="/checks/batch", resource="/checks/batch", body=text)
    event["headers"]["Content-Type"] = "text/csv"
    event["multiValueHeaders"]["Content-Type"] = ["text/csv"]
    event["requestContext"].update(httpMethod="POST", requestId=str(uuid.uuid4()))
    event["requestContext"]["authorizer"].update(tenant_id=api.tenant_id, role="analyst", plan=api.plan)
    response = api.module.lambda_handler(event, api.context)
    return response["statusCode"], json.loads(response["body"])


def get_raw(api: Any, path: str, query: dict[str, str]) -> tuple[int, str, dict[str, Any]]:  # noqa: F811
    event = json.loads(_EVENT.read_text())
    event.update(
        httpMethod="GET",
        path=path,
        resource=path,
        body=None,
        queryStringParameters=query,
        multiValueQueryStringParameters={k: [v] for k, v in query.items()},
    )
    event["requestContext"].update(httpMethod="GET", requestId=str(uuid.uuid4()))
    event["requestContext"]["authorizer"].update(tenant_id=api.tenant_id, role="viewer", plan=api.plan)
    response = api.module.lambda_handler(event, api.context)
    headers = {k: v[-1] for k, v in (response.get("multiValueHeaders") or {}).items() if v}
    return response["statusCode"], response["body"], headers


def grant(tenant_id: str, plan: str = "business") -> None:
    """Give the tenant a plan whose allowance holds 10,000 checks (the free plan's 100 would reject them)."""
    import os

    boto3.client("dynamodb").put_item(
        TableName=os.environ["MAIN_TABLE"],
        Item={"pk": {"S": f"TENANT#{tenant_id}"}, "sk": {"S": "TENANT"}, "plan": {"S": plan}},
    )


def test_a_10000_line_csv_with_37_invalid_lines_is_accepted_and_names_them(api: Any, sqs: Sqs) -> None:  # noqa: F811
    grant(api.tenant_id)
    api.plan = "business"
    cnpjs = valid_cnpjs(10_000 - 1 - 37)
    lines = ["cnpj;nome"] + [f"{masked(c)};Empresa {i}" for i, c in enumerate(cnpjs)]
    bad_at = sorted({(i * 263 + 11) % (len(lines) - 2) + 2 for i in range(37)})  # 1-based line numbers, not the header
    assert len(bad_at) == 37
    for number in bad_at:
        base = f"{99_000_000 + number:08d}0001"
        wrong = f"{(int(check_digits(base)) + 1) % 100:02d}"  # the wrong check digits
        lines.insert(number - 1, f"{masked(base + wrong)};broken")
    lines = lines[:10_000]
    status, batch = post_csv(api, "\n".join(lines) + "\n")
    assert status == 202, batch
    assert batch["submitted"] == 9_999
    invalid = batch["invalid"]
    assert [p["line"] for p in invalid] == bad_at and {p["reason"] for p in invalid} == {"wrong_check_digits"}
    assert all(lines[p["line"] - 1].startswith(p["input"]) for p in invalid)
    assert batch["accepted"] == 9_999 - len(invalid)
    # Counted now, once per valid CNPJ: the invalid lines are not.
    assert api("GET", "/usage")[1]["used"] == batch["accepted"]
    _, again, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert [p["line"] for p in again["invalid"]] == [p["line"] for p in invalid]
    messages = [m for m in peek(sqs.queues["CHECKS_QUEUE_URL"]) if batch["batch_id"] in m["Body"]]
    assert len(messages) == 1  # one page message; the fan-out sends the rest


def test_cached_cnpjs_are_answered_at_once_and_the_rest_queued(
    api: Any,  # noqa: F811
    sqs: Sqs,  # noqa: F811
    cache: CachingConnector,
) -> None:
    cnpjs = valid_cnpjs(150, seed=500)
    cache.cached = set(cnpjs[:120])
    text = "CNPJ\n" + "\n".join(masked(c) for c in cnpjs) + "\n" + "not-a-cnpj\n" + masked(cnpjs[3]) + "\n"
    grant(api.tenant_id)
    api.plan = "business"
    status, batch = post_csv(api, text)
    assert status == 202
    assert [(p["line"], p["reason"]) for p in batch["invalid"]] == [(152, "wrong_length"), (153, "duplicate")]
    sqs.dispatch()  # page 0 (100 CNPJs, all cached), and it sends page 1
    _, progress, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert progress["counts"]["succeeded"] == 100 and progress["throughput_per_min"] > 0
    assert cache.calls == []  # answered from the cache: no provider call
    sqs.dispatch()  # page 1: 20 cached, 30 sent to the queue
    _, progress, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert progress["counts"] == {"queued": 30, "running": 0, "succeeded": 120, "failed": 0}
    messages, failed = sqs.poll()  # the worker runs the 30 uncached ones
    assert len(messages) == 30 and failed == []
    assert sorted(cache.calls) == sorted(cnpjs[120:])
    _, progress, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert progress["done"] and progress["counts"]["succeeded"] == 150 and progress["eta_seconds"] == 0
    assert api("GET", "/usage")[1]["used"] == 150  # cached ones are charged like any check

    # The batch's checks, paged in submission order, and filtered.
    seen: list[str] = []
    cursor = None
    while True:
        query = {"limit": "40", **({"cursor": cursor} if cursor else {})}
        status, page, _ = api("GET", f"/checks/batch/{batch['batch_id']}/checks", query=query)
        assert status == 200
        seen += [c["cnpj"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == cnpjs
    _, none_failed, _ = api("GET", f"/checks/batch/{batch['batch_id']}/checks", query={"status": "failed"})
    assert none_failed["items"] == [] and none_failed["next_cursor"] is None
    assert api("GET", f"/checks/batch/{batch['batch_id']}/checks", query={"cursor": "forged"})[0] == 400

    # The results download: one row per CNPJ.
    status, text, headers = get_raw(api, f"/checks/batch/{batch['batch_id']}/results", {"format": "csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["cnpj"] for r in rows] == cnpjs
    assert set(rows[0]) == {"cnpj", "status", "legal_name", "situation", "failure_reason", "check_id"}
    assert {r["status"] for r in rows} == {"succeeded"} and rows[0]["legal_name"] == "ACME COMERCIO LTDA"
    status, text, _ = get_raw(api, f"/checks/batch/{batch['batch_id']}/results", {"format": "json"})
    assert status == 200 and [r["check_id"] for r in json.loads(text)["items"]] == [r["check_id"] for r in rows]


def test_a_page_delivered_twice_or_after_a_crash_runs_nothing_twice(
    api: Any,  # noqa: F811
    sqs: Sqs,  # noqa: F811
    cache: CachingConnector,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from radar.checks.queue import CheckQueue

    cnpjs = [ACME, OTHER, *valid_cnpjs(8, seed=900)]
    cache.cached = {ACME}
    _, batch = post_csv(api, "\n".join(cnpjs))
    pages = receive_all(sqs.queues["CHECKS_QUEUE_URL"])
    assert len(pages) == 1
    real_send_many = CheckQueue.send_many

    def crash_mid_send(self: CheckQueue, messages: Any) -> Any:
        real_send_many(self, messages[:4])
        raise SystemExit("worker killed mid fan-out")

    monkeypatch.setattr(CheckQueue, "send_many", crash_mid_send)
    with pytest.raises(SystemExit):
        sqs.worker_fn.lambda_handler(sqs.event(pages), sqs.context)
    monkeypatch.setattr(CheckQueue, "send_many", real_send_many)
    # The lease of the killed delivery ends; its message comes back, twice (a duplicate delivery too).
    from radar.checks.models import BatchPageModel, batch_page_sk
    from radar.tables import tenant_pk

    BatchPageModel(tenant_pk(api.tenant_id), batch_page_sk(batch["batch_id"], 0)).update(
        actions=[BatchPageModel.lease_until.set(0)]
    )
    answer = sqs.worker_fn.lambda_handler(sqs.event(pages + pages), sqs.context)
    assert len(answer["batchItemFailures"]) <= 1  # the copy that found the page held comes back later
    messages, _ = sqs.poll()  # a duplicate met in the same poll comes back after the lease (and finds it done)
    checks = [json.loads(m["Body"]) for m in messages if '"kind"' not in m["Body"]]
    assert {c["cnpj"] for c in checks} == set(cnpjs[1:])  # sent again after the crash: the worker runs each once
    while sqs.poll()[0]:
        pass
    _, progress, _ = api("GET", f"/checks/batch/{batch['batch_id']}")
    assert progress["counts"] == {"queued": 0, "running": 0, "succeeded": 10, "failed": 0}
    assert sorted(cache.calls) == sorted(cnpjs[1:])  # each uncached CNPJ looked up once, the cached one never
    assert api("GET", "/usage")[1]["used"] == 10


def test_the_next_page_waits_for_the_capacity_its_predecessor_needs() -> None:
    from radar.checks.dispatch import PAGE_SIZE, pacing_seconds

    assert pacing_seconds(0, 66) == 0  # an all-cached page: the next one follows at once
    assert pacing_seconds(PAGE_SIZE, 66) == int(PAGE_SIZE * 60 / 66 * 0.8)
    assert pacing_seconds(PAGE_SIZE, 6) == 800
    assert pacing_seconds(PAGE_SIZE, 1) == 900  # SQS's longest delay


def test_a_later_tenants_small_batch_waits_behind_one_page_of_a_big_one_not_all_of_it(
    api: Any,  # noqa: F811
    sqs: Sqs,  # noqa: F811
    cache: CachingConnector,
) -> None:
    from tests.integration.test_checks_api import Api

    big, small = api, Api(api.module, api.context, tenant_id=f"t-{uuid.uuid4().hex}")
    grant(big.tenant_id)
    big.plan = "business"
    _, a = post_csv(big, "\n".join(valid_cnpjs(300, seed=2_000)))
    _, b = post_csv(small, "\n".join(valid_cnpjs(5, seed=3_000)))
    sqs.dispatch()  # both batches' first pages
    lane = [json.loads(m["Body"]) for m in receive_all(sqs.queues["CHECKS_QUEUE_URL"])]
    items = [m for m in lane if "kind" not in m]
    assert sum(m["batch_id"] == b["batch_id"] for m in items) == 5
    # Tenant A's next pages wait for the capacity its first page needs: B's checks queue behind 100 of A's, not 300.
    assert sum(m["batch_id"] == a["batch_id"] for m in items) == 100
    assert not [m for m in lane if "kind" in m]
    boto3.client("sqs").purge_queue(QueueUrl=sqs.queues["CHECKS_QUEUE_URL"])  # A's delayed page stays out of others
