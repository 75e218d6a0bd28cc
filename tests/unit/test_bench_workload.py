"""Pure parts of the chaos/load/bench scripts: CNPJs, Zipf draws, route templates, state accounting, drain limit."""

from __future__ import annotations

from collections import Counter

import pytest

from radar.cnpj import is_valid
from scripts.bench.workload import (
    LatencyTable,
    account_states,
    drain_limit_per_s,
    route_template,
    synthetic_cnpjs,
    zipf_draws,
)


def test_synthetic_cnpjs_are_valid_distinct_and_reproducible() -> None:
    cnpjs = synthetic_cnpjs(150, seed=7)
    assert len(set(cnpjs)) == 150
    assert all(is_valid(c) and len(c) == 14 for c in cnpjs)
    assert synthetic_cnpjs(150, seed=7) == cnpjs
    assert synthetic_cnpjs(150, seed=8) != cnpjs


def test_zipf_draws_cover_every_item_and_favour_the_first_ranks() -> None:
    items = synthetic_cnpjs(150, seed=1)
    draws = zipf_draws(items, 600, seed=11)
    counts = Counter(draws)
    assert len(draws) == 600 and set(counts) == set(items)
    assert counts[items[0]] > counts[items[-1]]
    assert counts[items[0]] >= 20  # rank 1 takes a large share under s = 1.1
    with pytest.raises(ValueError):
        zipf_draws(items, 10, seed=1)


def test_route_template_folds_ids_and_query() -> None:
    assert route_template("post", "/targets/tgt_ab12cd/checks?async=true") == "POST /targets/{id}/checks"
    assert route_template("GET", "/checks/batch/bat_0f9e") == "GET /checks/batch/{id}"
    assert route_template("GET", "/targets?limit=20") == "GET /targets"
    assert route_template("GET", "/health") == "GET /health"


def test_latency_table_rows_and_statuses() -> None:
    table = LatencyTable()
    for ms in (10.0, 20.0, 30.0):
        table.add("GET", "/checks/chk_1", 200, ms)
    table.add("GET", "/checks/chk_2", 429, 1.0)
    table.add("GET", "/health", 200, 5.0)
    rows = table.rows()
    assert rows[0] == ("GET /checks/{id}", 4, 20.0, 30.0)  # nearest rank over 1, 10, 20, 30
    assert table.all_statuses() == Counter({200: 4, 429: 1})


def test_account_balances_when_every_check_is_final_and_queues_are_empty() -> None:
    states = {"a": "succeeded", "b": "failed", "c": "succeeded"}
    account = account_states(["a", "b", "c"], states, queue_visible=0, queue_in_flight=0, dlq_check_ids=["b"])
    assert account.consistent
    assert account.by_status == {"succeeded": 2, "failed": 1} and account.final == 3


@pytest.mark.parametrize(
    ("states", "visible", "in_flight", "dlq"),
    [
        ({"a": "succeeded", "b": "running"}, 0, 0, []),  # one not final
        ({"a": "succeeded"}, 0, 0, []),  # one missing
        ({"a": "succeeded", "b": "failed"}, 1, 0, []),  # a message still queued
        ({"a": "succeeded", "b": "failed"}, 0, 1, []),  # a message in flight
        ({"a": "succeeded", "b": "failed"}, 0, 0, ["a"]),  # a DLQ message for a check that did not fail
    ],
)
def test_account_flags_every_kind_of_loss(states: dict[str, str], visible: int, in_flight: int, dlq: list[str]) -> None:
    account = account_states(["a", "b"], states, queue_visible=visible, queue_in_flight=in_flight, dlq_check_ids=dlq)
    assert not account.consistent


def test_lost_counts_what_nothing_will_finish_not_what_is_still_queued() -> None:
    def lost(states: dict[str, str], visible: int = 0, in_flight: int = 0, dlq: tuple[str, ...] = ()) -> int:
        return account_states(["a", "b", "c"], states, queue_visible=visible, queue_in_flight=in_flight,
                              dlq_check_ids=list(dlq)).lost

    assert lost({"a": "succeeded", "b": "failed", "c": "succeeded"}, dlq=("b",)) == 0
    assert lost({"a": "succeeded", "b": "queued", "c": "running"}) == 2  # queues empty: stranded
    assert lost({"a": "succeeded", "b": "queued", "c": "running"}, visible=2) == 0  # still on their way
    assert lost({"a": "succeeded"}, visible=1) == 2  # no item is lost whatever the queue holds
    assert lost({"a": "succeeded", "b": "succeeded", "c": "failed"}, dlq=("a",)) == 1


def test_drain_limit_is_concurrency_over_check_time() -> None:
    assert drain_limit_per_s(concurrency=5, batch_size=10, seconds_per_check=0.5) == pytest.approx(10.0)
    # The worker runs a batch's records in threads: 10 at a time, a batch of 10 takes one check's time.
    assert drain_limit_per_s(concurrency=3, batch_size=10, seconds_per_check=0.5, record_concurrency=10) == 60.0
    assert drain_limit_per_s(concurrency=3, batch_size=10, seconds_per_check=0.5, record_concurrency=4) == 20.0
    with pytest.raises(ValueError):
        drain_limit_per_s(concurrency=3, batch_size=10, seconds_per_check=0.5, record_concurrency=0)
    with pytest.raises(ValueError):
        drain_limit_per_s(concurrency=0, batch_size=10, seconds_per_check=0.5)
