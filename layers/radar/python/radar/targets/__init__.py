"""Targets: the companies (CNPJs) a tenant follows; one per CNPJ per tenant; the targets function's TargetsEnv.

The package root stays light (no pynamodb): the storage lives in radar.targets.repository, imported on first use.
Imports: cnpj, errors, observability, pagination, schema, settings, store, tables, timestamps.
"""

from __future__ import annotations

from radar.targets.errors import TargetExists, TargetNotFound
from radar.targets.schemas import TargetCreate, TargetOut, TargetPage, TargetPatch

__all__ = ["TargetCreate", "TargetExists", "TargetNotFound", "TargetOut", "TargetPage", "TargetPatch"]
