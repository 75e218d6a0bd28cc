"""Password hashing cost (argon2id): read when the hasher is built; production leaves the variables unset."""

from __future__ import annotations

from pydantic import Field

from radar.settings import EnvSettings

__all__ = ["HashingSettings"]


class HashingSettings(EnvSettings):
    """RFC 9106's low-memory profile by default; the ARGON2_* variables let test suites use a cheap one."""

    time_cost: int = Field(default=3, ge=1, alias="ARGON2_TIME_COST")
    memory_kib: int = Field(default=65536, ge=8, alias="ARGON2_MEMORY_KIB")
    parallelism: int = Field(default=4, ge=1, alias="ARGON2_PARALLELISM")
