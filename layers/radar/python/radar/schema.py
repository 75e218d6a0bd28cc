"""The base of the API shapes: each model's validator is built when first used, not when its module is imported,
so a cold start builds the shapes of the route it serves rather than all of them (about 10 ms per function)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["ApiModel"]


class ApiModel(BaseModel):
    model_config = ConfigDict(defer_build=True)
