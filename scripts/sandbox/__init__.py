"""Provider sandbox: a local server speaking cnpj.ws, BrasilAPI and ReceitaWS formats, limits and faults."""

from __future__ import annotations

from scripts.sandbox.config import SandboxConfig
from scripts.sandbox.server import SandboxServer, start_sandbox

__all__ = ["SandboxConfig", "SandboxServer", "start_sandbox"]
