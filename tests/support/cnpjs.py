"""Valid CNPJs on demand (numeric and alphanumeric), for tests that need many distinct companies."""

from __future__ import annotations

import random
import string

from radar.cnpj import check_digits

__all__ = ["random_cnpjs"]


def random_cnpjs(count: int, *, seed: int, alphanumeric_share: float = 0.2) -> list[str]:
    rng = random.Random(seed)
    found: set[str] = set()
    while len(found) < count:
        alphabet = string.digits + (string.ascii_uppercase if rng.random() < alphanumeric_share else "")
        body = "".join(rng.choice(alphabet) for _ in range(12))
        if len(set(body)) > 1:
            found.add(body + check_digits(body))
    return sorted(found)
