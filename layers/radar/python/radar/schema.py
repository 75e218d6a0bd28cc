"""The bases of the API shapes: each model's validator is built when first used, not when its module is imported,
so a cold start builds the shapes of the route it serves rather than all of them (about 10 ms per function)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ApiModel", "Error", "ErrorInfo", "FieldProblem", "RequestBody"]


class ApiModel(BaseModel):
    """A response (or any API shape): validators built on first use."""

    model_config = ConfigDict(defer_build=True)


class RequestBody(ApiModel):
    """A request body: an unknown field is a 422 naming it, not silently dropped."""

    model_config = ConfigDict(defer_build=True, extra="forbid")


class FieldProblem(ApiModel):
    """One rejected part of a request: validation errors name each field this way."""

    field: str = Field(description="dotted path of the field (body, a query parameter, a header, cnpjs.3, ...)")
    reason: str | None = Field(default=None, description="machine-readable reason, e.g. missing, string_too_long")
    message: str | None = None


class ErrorInfo(ApiModel):
    code: str = Field(description="machine-readable; each operation's error responses list the codes they carry")
    message: str = Field(description="for people; never a stack trace")
    details: list[FieldProblem] | dict[str, Any] | None = Field(
        default=None, description="the fields at fault (validation), or what a limit was (throttling, quota, plan)"
    )


class Error(ApiModel):
    """Every error answer of the API, from the functions (radar.http) and from the gateway alike."""

    error: ErrorInfo
