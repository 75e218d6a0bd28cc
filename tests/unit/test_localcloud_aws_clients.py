"""Emulator clients: cached per thread, and per endpoint (one process may talk to several emulators in turn)."""

from __future__ import annotations

import pytest

from scripts.localcloud.aws import client


def test_a_client_is_reused_for_its_endpoint_and_replaced_for_another(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4001")
    first = client("sqs")
    assert client("sqs") is first
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4002")
    second = client("sqs")
    assert second is not first
    assert second.meta.endpoint_url == "http://127.0.0.1:4002"
    assert first.meta.endpoint_url == "http://127.0.0.1:4001"
