"""Provider sandbox: a local server speaking the formats, limits and faults of cnpj.ws, BrasilAPI, ReceitaWS,
minha-receita, OpenCNPJ and CNPJá open."""

from __future__ import annotations

from scripts.sandbox.config import SandboxConfig
from scripts.sandbox.server import SandboxServer, start_sandbox

__all__ = ["SandboxConfig", "SandboxServer", "start_sandbox"]
