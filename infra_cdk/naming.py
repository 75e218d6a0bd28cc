"""Stable logical ids, so the local cloud, SAM users and outputs can name resources without CDK hashes."""

from __future__ import annotations

from typing import cast

from aws_cdk import CfnResource
from constructs import Construct

__all__ = ["pin_logical_id"]


def pin_logical_id(construct: Construct, logical_id: str) -> CfnResource:
    """Give the construct's CloudFormation resource a fixed logical id and return that resource."""
    resource = cast(CfnResource, construct.node.default_child)
    resource.override_logical_id(logical_id)
    return resource
