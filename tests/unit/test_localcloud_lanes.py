"""The local cloud gives each function the invocations its queue mappings' MaximumConcurrency asks for: the worker's
two lanes must not share the few warm workers of the local default (they would cap each other, and the batch lane's
pollers would wait for a worker the single-check lane holds)."""

from __future__ import annotations

from scripts.localcloud.esm import MappingSpec, mapping_concurrency


def _mapping(logical_id: str, function: str, max_concurrency: int | None, *, enabled: bool = True) -> MappingSpec:
    return MappingSpec(
        logical_id=logical_id,
        function_logical_id=function,
        queue_arn=f"arn:aws:sqs:us-east-1:123456789012:{logical_id}",
        queue_url=f"http://localhost/{logical_id}",
        batch_size=10,
        batching_window=1.0,
        report_failures=True,
        enabled=enabled,
        max_concurrency=max_concurrency,
    )


def test_a_functions_lanes_add_up() -> None:
    mappings = [
        _mapping("ChecksQueueEventSource", "WorkerFunction", 5),
        _mapping("BatchQueueEventSource", "WorkerFunction", 6),
        _mapping("PurgeQueueEventSource", "PurgeFunction", 2),
        _mapping("Unbounded", "OtherFunction", None),  # its pollers follow the function's own concurrency
        _mapping("Disabled", "PurgeFunction", 9, enabled=False),
    ]
    assert mapping_concurrency(mappings) == {"WorkerFunction": 11, "PurgeFunction": 2}


def test_duplicate_delivery_leaves_room_for_each_batchs_twin() -> None:
    mappings = [_mapping("ChecksQueueEventSource", "WorkerFunction", 5), _mapping("Batch", "WorkerFunction", 6)]
    assert mapping_concurrency(mappings, duplicate_rate=0.3) == {"WorkerFunction": 22}
    assert mapping_concurrency(mappings, duplicate_rate=0.0) == {"WorkerFunction": 11}
