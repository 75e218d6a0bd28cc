"""Password hashing cost (argon2id): read when the hasher is built; production leaves the variables unset."""

from __future__ import annotations

from pydantic import Field

from radar.settings import EnvSettings

__all__ = ["MIN_MEMORY_KIB", "MIN_PARALLELISM", "MIN_TIME_COST", "HashingSettings"]


# OWASP's minimum for argon2id (Password Storage Cheat Sheet): 19 MiB of memory, 2 iterations, 1 degree of
# parallelism. A variable below a floor fails validation (the function's init), never a weaker hash.
MIN_TIME_COST = 2
MIN_MEMORY_KIB = 19456
MIN_PARALLELISM = 1


class HashingSettings(EnvSettings):
    """RFC 9106's low-memory profile by default; the ARGON2_* variables let test suites use a cheaper one, never below
    OWASP's minimum."""

    time_cost: int = Field(default=3, ge=MIN_TIME_COST, alias="ARGON2_TIME_COST")
    memory_kib: int = Field(default=65536, ge=MIN_MEMORY_KIB, alias="ARGON2_MEMORY_KIB")
    parallelism: int = Field(default=4, ge=MIN_PARALLELISM, alias="ARGON2_PARALLELISM")
