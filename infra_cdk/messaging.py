"""The async checks queues (single checks; batch items, a lane of their own) and their dead-letter queue."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra_cdk.nag import acknowledge
from infra_cdk.naming import pin_logical_id

__all__ = ["MAX_RECEIVE_COUNT", "ChecksQueue"]

# The worker marks a check failed on the last receive, so it reads this number too (MAX_RECEIVE_COUNT).
MAX_RECEIVE_COUNT = 5


class ChecksQueue(Construct):
    """Encrypted, TLS-only queue; visibility is at least six times the worker timeout (AWS guidance for SQS)."""

    def __init__(self, scope: Construct, construct_id: str, *, worker_timeout: Duration) -> None:
        super().__init__(scope, construct_id)
        self.dlq = sqs.Queue(
            self,
            "ChecksDlq",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        pin_logical_id(self.dlq, "ChecksDlq")
        acknowledge(self.dlq, "AwsSolutions-SQS3", "this is the dead-letter queue; nothing redrives out of it")
        self.queue = self._work_queue("ChecksQueue", worker_timeout)
        # Batch items wait in their own lane, so a single check never queues behind thousands of them (the worker
        # reads both; docs/architecture.md "Capacity and fairness").
        self.batch_queue = self._work_queue("BatchQueue", worker_timeout)

    def _work_queue(self, name: str, worker_timeout: Duration) -> sqs.Queue:
        queue = sqs.Queue(
            self,
            name,
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            visibility_timeout=Duration.seconds(worker_timeout.to_seconds() * 6),
            retention_period=Duration.days(4),
            dead_letter_queue=sqs.DeadLetterQueue(queue=self.dlq, max_receive_count=MAX_RECEIVE_COUNT),
        )
        pin_logical_id(queue, name)
        return queue
