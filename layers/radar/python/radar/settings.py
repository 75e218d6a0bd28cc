"""Environment settings: one pydantic model per function or capability, read with `from_environ()`.

Each field's alias is the variable's name; an empty variable counts as unset (CloudFormation cannot omit one
conditionally). A field whose type is itself an `EnvSettings` is read from the same environment, so a function's
model can hold the settings of the capabilities it runs and validate them all at once, at cold start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict

__all__ = ["EnvSettings", "environ_of"]


def environ_of(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The set variables of `environ` (the process environment by default), empty ones dropped."""
    source = os.environ if environ is None else environ
    return {name: value for name, value in source.items() if value != ""}


class EnvSettings(BaseModel):
    """The base of every settings model: frozen, unknown variables ignored, fields settable by name in tests."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

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
