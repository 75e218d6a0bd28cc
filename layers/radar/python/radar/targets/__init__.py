"""Targets: the companies (CNPJs) a tenant follows; one per CNPJ per tenant."""

from __future__ import annotations

from radar.targets.errors import TargetExists, TargetNotFound
from radar.targets.repository import TargetRepository
from radar.targets.schemas import TargetCreate, TargetOut, TargetPage, TargetPatch
from radar.targets.service import TargetService, target_out

__all__ = [
    "TargetCreate",
    "TargetExists",
    "TargetNotFound",
    "TargetOut",
    "TargetPage",
    "TargetPatch",
    "TargetRepository",
    "TargetService",
    "target_out",
]
