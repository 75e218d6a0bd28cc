"""The redaction filter: personal data out of every log line, ids and the record's own fields untouched."""

from __future__ import annotations

import io
import json
from typing import Any

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


def _last_line(write: Any) -> dict[str, Any]:
    buffer = io.StringIO()
    previous = logger.registered_handler.setStream(buffer)  # type: ignore[attr-defined]
    try:
        write()
    finally:
        logger.registered_handler.setStream(previous)  # type: ignore[attr-defined]
    return dict(json.loads(buffer.getvalue().strip().splitlines()[-1]))


def test_exception_text_stack_info_and_appended_keys_are_redacted_too() -> None:
    """Caught: the filter skipped exc_info, stack_info and append_keys values, so `logger.exception` wrote an
    exception's text (an e-mail, a CPF) as it was."""

    def crash() -> None:
        try:
            raise ValueError("no account for maria@example.com, CPF 123.456.789-09")
        except ValueError:
            logger.exception("lookup crashed", stack_info=True)

    logger.append_keys(contact="jose@example.org", owner_cpf="98765432100")
    try:
        line = _last_line(crash)
    finally:
        logger.remove_keys(["contact", "owner_cpf"])
    text = json.dumps(line)
    for secret in ("maria@example.com", "123.456.789-09", "jose@example.org", "98765432100"):
        assert secret not in text
    assert "[email]" in line["exception"] and "[cpf]" in line["exception"]
    assert line["exception_name"] == "ValueError"
    assert line["contact"] == "[email]" and line["owner_cpf"] == "[cpf]"


def test_uncaught_handler_crash_text_is_redacted() -> None:
    """Caught: Powertools' uncaught-exception hook logs through the same handler without the filter's help."""
    import sys

    def uncaught() -> None:
        try:
            raise RuntimeError("user ana@example.com failed")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())

    text = json.dumps(_last_line(uncaught))
    assert "ana@example.com" not in text and "[email]" in text
