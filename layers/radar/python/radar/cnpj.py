"""CNPJ parsing and validation: numeric and alphanumeric (IN RFB 2.229/2024), ASCII-48 mod-11 check digits."""

from __future__ import annotations

import re
from dataclasses import dataclass

from radar.errors import InvalidCnpj

__all__ = ["Cnpj", "check_digits", "format_cnpj", "is_valid", "parse_cnpj"]

# The mask's ASCII separators (dots, slash, hyphen) and ASCII spaces; anything else (an en dash, a no-break or
# zero-width space, full-width digits) is an invalid character, never a length problem.
_MASK_CHARS = re.compile(r"[./\- \t]")
_ALLOWED = re.compile(r"[0-9A-Za-z./\- \t]*")
_BODY = re.compile(r"^[0-9A-Z]{12}$")
_WEIGHTS_1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_WEIGHTS_2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)


def _digit(chars: str, weights: tuple[int, ...]) -> int:
    # Each character is worth its ASCII code minus 48: digits keep 0..9, letters A..Z become 17..42.
    total = sum((ord(ch) - 48) * w for ch, w in zip(chars, weights, strict=True))
    rest = total % 11
    return 0 if rest < 2 else 11 - rest


def check_digits(body: str) -> str:
    """The two check digits of a 12-character uppercase body."""
    if not _BODY.match(body):
        raise InvalidCnpj("body must be 12 characters in [0-9A-Z]", reason="invalid_characters")
    first = _digit(body, _WEIGHTS_1)
    second = _digit(body + str(first), _WEIGHTS_2)
    return f"{first}{second}"


def format_cnpj(cnpj: str) -> str:
    """AA.AAA.AAA/AAAA-NN for a 14-character CNPJ."""
    return f"{cnpj[0:2]}.{cnpj[2:5]}.{cnpj[5:8]}/{cnpj[8:12]}-{cnpj[12:14]}"


@dataclass(frozen=True, slots=True)
class Cnpj:
    """A validated CNPJ: `value` is the bare 14-character uppercase form."""

    value: str

    @property
    def formatted(self) -> str:
        return format_cnpj(self.value)

    @property
    def root(self) -> str:
        return self.value[:8]

    @property
    def is_alphanumeric(self) -> bool:
        return not self.value.isdigit()

    def __str__(self) -> str:
        return self.value


def parse_cnpj(raw: object) -> Cnpj:
    """Normalize (strip the mask, uppercase) and validate; raise InvalidCnpj saying what is wrong."""
    if not isinstance(raw, str):
        raise InvalidCnpj("CNPJ must be a string", reason="not_a_string")
    trimmed = raw.strip()
    if not _ALLOWED.fullmatch(trimmed):
        bad = next(ch for ch in trimmed if not _ALLOWED.fullmatch(ch))
        raise InvalidCnpj(
            f"CNPJ may only contain digits, the letters A-Z and the mask characters . / -, found U+{ord(bad):04X}",
            reason="invalid_characters",
        )
    value = _MASK_CHARS.sub("", trimmed).upper()
    if len(value) != 14:
        raise InvalidCnpj(
            f"CNPJ must have 14 characters after removing the mask, got {len(value)}", reason="wrong_length"
        )
    if not re.fullmatch(r"[0-9A-Z]{14}", value):
        raise InvalidCnpj("CNPJ may only contain digits and the letters A-Z", reason="invalid_characters")
    if not value[12:].isdigit():
        raise InvalidCnpj("the last two characters (check digits) must be digits", reason="non_numeric_check_digits")
    if len(set(value)) == 1:
        raise InvalidCnpj("CNPJ made of one repeated character is not valid", reason="repeated_character")
    if check_digits(value[:12]) != value[12:]:
        raise InvalidCnpj("CNPJ check digits do not match", reason="wrong_check_digits")
    return Cnpj(value)


def is_valid(raw: object) -> bool:
    try:
        parse_cnpj(raw)
    except InvalidCnpj:
        return False
    return True
