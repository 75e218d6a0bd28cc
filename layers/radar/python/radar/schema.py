"""The bases of the API shapes: each model's validator is built when first used, not when its module is imported,
so a cold start builds the shapes of the route it serves rather than all of them (about 10 ms per function)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["ApiModel", "RequestBody"]


class ApiModel(BaseModel):
    """A response (or any API shape): validators built on first use."""

    model_config = ConfigDict(defer_build=True)


class RequestBody(ApiModel):
    """A request body: an unknown field is a 422 naming it, not silently dropped."""

    model_config = ConfigDict(defer_build=True, extra="forbid")
