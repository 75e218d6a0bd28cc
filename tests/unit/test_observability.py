"""The redaction filter: personal data out of every log line, ids and the record's own fields untouched."""

from __future__ import annotations

import io
import json

from radar.observability import logger, redact


def test_cpfs_and_emails_are_masked_but_ids_that_contain_digit_runs_are_not() -> None:
    text = "chk_ed2a36186813449e8aa4366195227694 CPF 123.456.789-09, 12345678909, ***050187**, joao@x.com.br"
    assert redact(text) == "chk_ed2a36186813449e8aa4366195227694 CPF [cpf], [cpf], [cpf], [email]"


def test_personal_keys_are_replaced_at_any_depth() -> None:
    value = {"report": {"x": 1}, "items": [{"partners": ["A"], "check_id": "chk_1"}], "Email": "a@b.co"}
    assert redact(value) == {
        "report": "[redacted]",
        "items": [{"partners": "[redacted]", "check_id": "chk_1"}],
        "Email": "[redacted]",
    }


def test_the_logger_redacts_messages_and_extra_keys() -> None:
    buffer = io.StringIO()
    previous = logger.registered_handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        logger.info("partner ***123456** joined", extra={"partners": ["MARIA"], "check_id": "chk_0123456789012"})
    finally:
        logger.registered_handler.setStream(previous)  # type: ignore[attr-defined]
    line = json.loads(buffer.getvalue().strip().splitlines()[-1])
    assert line["message"] == "partner [cpf] joined"
    assert line["partners"] == "[redacted]"
    assert line["check_id"] == "chk_0123456789012"
