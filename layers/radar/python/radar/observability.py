"""Logger, Tracer and Metrics for every function, and the redaction filter that keeps personal data out of logs."""

from __future__ import annotations

import logging
import re
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

__all__ = ["DEFAULT_METRICS_NAMESPACE", "logger", "metrics", "redact", "tracer"]

# Powertools reads its own variables (POWERTOOLS_METRICS_NAMESPACE, the service name, the log level); without a
# namespace there it gets ours.
DEFAULT_METRICS_NAMESPACE = "CnpjRadar"

# Masked CPFs (***123456**), full CPFs (11 digits, bare or masked) and e-mail addresses never reach a log line.
_CPF_MASKED = re.compile(r"\*{3}\d{6}\*{2}")
_CPF_FULL = re.compile(r"(?<![0-9A-Za-z])\d{3}\.?\d{3}\.?\d{3}-?\d{2}(?![0-9A-Za-z])")  # not inside ids
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Keys whose values are personal data wherever they appear (provider payloads, reports, partners).
PERSONAL_KEYS = frozenset(
    {
        "partners",
        "qsa",
        "socios",
        "nome_socio",
        "nome",
        "name",
        "cpf",
        "cpf_cnpj_socio",
        "cnpj_cpf_do_socio",
        "cpf_representante_legal",
        "nome_representante_legal",
        "nome_representante",
        "email",
        "phone",
        "phones",
        "telefone",
        "password",
        "refresh_token",
        "access_token",
        "authorization",
        "x-api-key",
        "key",
        "report",
        "raw",
        "body_excerpt",
    }
)


def redact(value: Any) -> Any:
    """Return a copy with personal keys replaced and CPF/e-mail patterns masked in strings."""
    if isinstance(value, dict):
        return {k: ("[redacted]" if str(k).lower() in PERSONAL_KEYS else redact(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v) for v in value]
    if isinstance(value, str):
        value = _CPF_MASKED.sub("[cpf]", value)
        value = _CPF_FULL.sub("[cpf]", value)
        return _EMAIL.sub("[email]", value)
    if isinstance(value, BaseException):
        return redact(str(value))  # an exception object (Powertools' structured stack trace holds one) as text
    return value


class _RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str | dict):
            record.msg = redact(record.msg)
        if record.args:
            record.args = tuple(redact(a) for a in record.args) if isinstance(record.args, tuple) else record.args
        for key in list(vars(record)):
            if key in _STANDARD_ATTRS:
                continue  # the record's own fields (its logger's `name`, ...) are not payload
            if key.lower() in PERSONAL_KEYS:
                setattr(record, key, "[redacted]")
            elif isinstance(getattr(record, key), str | dict | list):
                setattr(record, key, redact(getattr(record, key)))
        return True


_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {"message", "asctime"}

class _RedactingFormatter(LambdaPowertoolsFormatter):
    """The last step before a line is written: the whole structured line is redacted, so what the filter cannot see
    is covered too: the exception text of `logger.exception` (exc_info), `stack_info`, keys added with
    `append_keys` (they live on the formatter, not the record) and the structured stack trace."""

    def serialize(self, log: Any) -> str:
        return super().serialize(redact(log))


# The filter redacts the record early (message, args, extra keys: what other handlers would see); the formatter
# redacts the finished line.
logger = Logger(log_uncaught_exceptions=True, logger_formatter=_RedactingFormatter())
logger.addFilter(_RedactingFilter())
# Only AWS SDK calls are patched: auto-patching httpx would record full provider URLs (a commercial token travels in
# the query string). Provider calls get their own subsegments without URLs.
tracer = Tracer(patch_modules=("boto3", "botocore"))
metrics = Metrics()
metrics.namespace = metrics.namespace or DEFAULT_METRICS_NAMESPACE
