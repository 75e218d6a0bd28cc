"""API shapes of targets: request bodies (extra fields rejected) and responses."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from radar.schema import ApiModel, RequestBody

__all__ = ["TargetCreate", "TargetOut", "TargetPage", "TargetPatch"]

Tag = Annotated[str, Field(min_length=1, max_length=50)]


class TargetCreate(RequestBody):
    cnpj: str = Field(min_length=1, max_length=32, description="masked or bare, numeric or alphanumeric")
    label: str | None = Field(default=None, max_length=200)
    tags: list[Tag] = Field(default_factory=list, max_length=20)


class TargetPatch(RequestBody):
    label: str | None = Field(default=None, max_length=200)
    tags: list[Tag] | None = Field(default=None, max_length=20)


class TargetOut(ApiModel):
    id: str
    cnpj: str = Field(description="14 characters, uppercase")
    cnpj_formatted: str = Field(description="AA.AAA.AAA/AAAA-NN")
    label: str | None = None
    tags: list[str] = Field(default_factory=list)
    created_at: str
    updated_at: str


class TargetPage(ApiModel):
    items: list[TargetOut]
    next_cursor: str | None = None
