"""Suite-wide settings: no real AWS, no real credentials, Powertools quiet."""

from __future__ import annotations

import os

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "CnpjRadar")
os.environ.setdefault("POWERTOOLS_SERVICE_NAME", "cnpj-radar-tests")
