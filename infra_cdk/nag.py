"""Acknowledged cdk-nag findings: every one carries the written reason it is acceptable here."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

__all__ = ["acknowledge"]


def acknowledge(construct: IConstruct, finding: str, reason: str) -> None:
    """Acknowledge one finding id (e.g. `AwsSolutions-IAM5[Resource::*]`) on a construct and its children."""
    if len(reason.strip()) < 20:
        raise ValueError(f"{finding}: a suppression needs a real reason, not {reason!r}")
    Validations.of(construct).acknowledge(Acknowledgment(id=finding, reason=reason))
