"""Boto3 clients created on first use (not at import), cached for the life of the execution environment."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

__all__ = ["client"]


@lru_cache(maxsize=8)
def client(service: str) -> Any:
    import boto3

    return boto3.client(service)  # type: ignore[call-overload]
