"""The async checks queues (single checks; batch items, a lane of their own), the tenant purge queue, and their
dead-letter queues."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id

__all__ = ["MAX_RECEIVE_COUNT", "PURGE_MAX_RECEIVE_COUNT", "ChecksQueue", "PurgeQueue"]

# The worker marks a check failed on the last receive, so it reads this number too (MAX_RECEIVE_COUNT).
MAX_RECEIVE_COUNT = 5


def _queue_with_dlq(scope: Construct, name: str, *, visibility: Duration, retention: Duration,
                    max_receive_count: int) -> tuple[sqs.Queue, sqs.Queue]:
    """An encrypted, TLS-only queue `<name>Queue` and its dead-letter queue `<name>Dlq` (logical ids pinned)."""
    dlq = sqs.Queue(
        scope,
        f"{name}Dlq",
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        retention_period=Duration.days(14),
    )
    pin_logical_id(dlq, f"{name}Dlq")
    acknowledge(dlq, "AwsSolutions-SQS3", "this is the dead-letter queue; nothing redrives out of it")
    queue = sqs.Queue(
        scope,
        f"{name}Queue",
        encryption=sqs.QueueEncryption.SQS_MANAGED,
        enforce_ssl=True,
        visibility_timeout=visibility,
        retention_period=retention,
        dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=max_receive_count),
    )
    pin_logical_id(queue, f"{name}Queue")
    return queue, dlq


class ChecksQueue(Construct):
    """Encrypted, TLS-only queue; visibility is at least six times the worker timeout (AWS guidance for SQS)."""

    def __init__(self, scope: Construct, construct_id: str, *, worker_timeout: Duration) -> None:
        super().__init__(scope, construct_id)
        visibility = Duration.seconds(worker_timeout.to_seconds() * 6)
        self.queue, self.dlq = _queue_with_dlq(self, "Checks", visibility=visibility, retention=Duration.days(4),
                                               max_receive_count=MAX_RECEIVE_COUNT)
        # Batch items wait in their own lane (same dead-letter queue), so a single check never queues behind
        # thousands of them (the worker reads both; docs/architecture.md "Capacity and fairness").
        self.batch_queue = sqs.Queue(
            self,
            "BatchQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=visibility,
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dlq, max_receive_count=MAX_RECEIVE_COUNT),
        )
        pin_logical_id(self.batch_queue, "BatchQueue")


# A purge message that failed this often (a dependency down for long) waits in the DLQ, which alarms; the job's
# checkpoint is intact, so a redrive (aws sqs start-message-move-task) resumes it.
PURGE_MAX_RECEIVE_COUNT = 10


class PurgeQueue(Construct):
    """The tenant purge's queue: each message is one run of a deletion job, which queues its own next message."""

    def __init__(self, scope: Construct, construct_id: str, *, purge_timeout: Duration) -> None:
        super().__init__(scope, construct_id)
        self.queue, self.dlq = _queue_with_dlq(self, "Purge", visibility=Duration.seconds(
            purge_timeout.to_seconds() * 6), retention=Duration.days(14), max_receive_count=PURGE_MAX_RECEIVE_COUNT)
