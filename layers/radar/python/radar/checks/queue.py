"""The checks queue: send one message or many (in tens), and push a message's next delivery back."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from radar.aws import client
from radar.checks.schemas import QueueMessage
from radar.errors import DependencyUnavailable
from radar.schema import ApiModel

__all__ = ["MAX_DELAY_SECONDS", "MAX_VISIBILITY_SECONDS", "CheckQueue", "queue_url_from_arn"]

SQS_BATCH = 10
MAX_VISIBILITY_SECONDS = 43_200  # SQS limit: 12 hours
MAX_DELAY_SECONDS = 900  # SQS limit for a message's DelaySeconds: 15 minutes
_SEND_WORKERS = 8  # a 500-CNPJ batch is 50 SendMessageBatch calls


def queue_url_from_arn(arn: str) -> str:
    """arn:aws:sqs:<region>:<account>:<name> -> the queue URL (asks SQS, so it works against any endpoint)."""
    parts = arn.split(":")
    name, account = parts[5], parts[4]
    return str(client("sqs").get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"])


class CheckQueue:
    def __init__(self, queue_url: str, *, sqs: Any = None) -> None:
        self.url = queue_url
        self._sqs = sqs

    @property
    def sqs(self) -> Any:
        return self._sqs or client("sqs")

    def send(self, message: ApiModel, *, delay_seconds: int = 0) -> None:
        """Send one message (a check's or a batch page's), delivered after `delay_seconds` (at most SQS's 900)."""
        from botocore.exceptions import BotoCoreError, ClientError

        delay = max(0, min(int(delay_seconds), MAX_DELAY_SECONDS))
        try:
            self.sqs.send_message(QueueUrl=self.url, MessageBody=message.model_dump_json(), DelaySeconds=delay)
        except (BotoCoreError, ClientError) as exc:
            raise DependencyUnavailable(
                "the checks queue is unavailable", details={"dependency": "checks_queue"}
            ) from exc

    def send_many(self, messages: Sequence[QueueMessage]) -> list[str]:
        """Send in batches of ten (a few batches at a time); return the check ids SQS did not accept."""
        chunks = [messages[start : start + SQS_BATCH] for start in range(0, len(messages), SQS_BATCH)]
        if not chunks:
            return []
        with ThreadPoolExecutor(max_workers=min(_SEND_WORKERS, len(chunks))) as pool:
            return [check_id for failed in pool.map(self._send_chunk, chunks) for check_id in failed]

    def _send_chunk(self, chunk: Sequence[QueueMessage]) -> list[str]:
        from botocore.exceptions import BotoCoreError, ClientError

        entries = [{"Id": str(i), "MessageBody": m.model_dump_json()} for i, m in enumerate(chunk)]
        try:
            answer = self.sqs.send_message_batch(QueueUrl=self.url, Entries=entries)
        except (BotoCoreError, ClientError):
            return [m.check_id for m in chunk]
        return [chunk[int(f["Id"])].check_id for f in answer.get("Failed", [])]

    def delay_redelivery(self, receipt_handle: str, seconds: int) -> None:
        """Make an in-flight message visible again only after `seconds` (the providers' retry hint)."""
        self.sqs.change_message_visibility(
            QueueUrl=self.url,
            ReceiptHandle=receipt_handle,
            VisibilityTimeout=max(0, min(int(seconds), MAX_VISIBILITY_SECONDS)),
        )
