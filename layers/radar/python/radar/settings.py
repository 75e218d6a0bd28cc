"""Environment settings: one pydantic model per function or capability, read with `from_environ()`.

Each field's alias is the variable's name; an empty variable counts as unset (CloudFormation cannot omit one
conditionally). A field whose type is itself an `EnvSettings` is read from the same environment, so a function's
model can hold the settings of the capabilities it runs and validate them all at once, at cold start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["EnvSettings", "HttpSettings", "environ_of"]


def environ_of(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The set variables of `environ` (the process environment by default), empty ones dropped."""
    source = os.environ if environ is None else environ
    return {name: value for name, value in source.items() if value != ""}


class EnvSettings(BaseModel):
    """The base of every settings model: frozen, unknown variables ignored, fields settable by name in tests."""

    # Validators are built on first use: a cold start pays only for the models it validates.
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True, defer_build=True)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Validate the model from `environ` (default: the process environment); ValidationError names the field."""
        env: dict[str, Any] = environ_of(environ)
        for name, field in cls.model_fields.items():
            if isinstance(field.annotation, type) and issubclass(field.annotation, EnvSettings):
                env[name] = field.annotation.from_environ(env)
        return cls.model_validate(env)

    def variables(self) -> dict[str, str]:
        """The variables this model was read from that are set, by name (nested settings included)."""
        found: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if isinstance(value, EnvSettings):
                found.update(value.variables())
            elif field.alias and value is not None:
                found[field.alias] = str(value)
        return found


class HttpSettings(EnvSettings):
    """What every HTTP function's model adds (radar.http reads it): CORS origins (comma list, empty = no CORS) and
    the request body limit."""

    cors_allowed_origins: str = Field(default="", alias="CORS_ALLOWED_ORIGINS")
    max_body_bytes: int = Field(default=262144, gt=0, alias="MAX_BODY_BYTES")

    def origins(self) -> list[str]:
        return [origin.strip() for origin in self.cors_allowed_origins.split(",") if origin.strip()]
