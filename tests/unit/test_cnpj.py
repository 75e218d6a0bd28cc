"""CNPJ parsing and validation (numeric and alphanumeric, IN RFB 2.229/2024), examples and properties."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from radar.cnpj import Cnpj, check_digits, format_cnpj, is_valid, parse_cnpj
from radar.errors import InvalidCnpj

ALPHABET = string.digits + string.ascii_uppercase
bodies = st.text(alphabet=ALPHABET, min_size=12, max_size=12)


def _residues(body: str) -> tuple[int, int]:
    """Independent re-computation of the two mod-11 remainders (ASCII-48 values, RFB weights)."""
    w1 = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
    w2 = (6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
    r1 = sum((ord(c) - 48) * w for c, w in zip(body, w1, strict=True)) % 11
    dv1 = 0 if r1 < 2 else 11 - r1
    r2 = sum((ord(c) - 48) * w for c, w in zip(body + str(dv1), w2, strict=True)) % 11
    return r1, r2


class TestKnownVectors:
    @pytest.mark.parametrize(
        ("body", "digits"),
        [
            ("12ABC34501DE", "35"),  # the official RFB example
            ("00000000E08G", "12"),  # the first real alphanumeric record (Banco do Brasil branch)
            ("191312430001", "97"),
            ("336831110002", "80"),
            ("278657570001", "02"),
            ("000000000001", "91"),
            ("112223330001", "81"),
            ("123456780001", "95"),
        ],
    )
    def test_check_digits_match_published_examples(self, body: str, digits: str) -> None:
        assert check_digits(body) == digits
        assert parse_cnpj(body + digits).value == body + digits

    def test_lowercase_letters_would_give_other_digits_so_input_is_uppercased_first(self) -> None:
        # ASCII-48 on lowercase is a different number: the RFB vectors are uppercase.
        assert parse_cnpj("12abc34501de35").value == "12ABC34501DE35"
        with pytest.raises(InvalidCnpj):
            check_digits("12abc34501de")


class TestAcceptedForms:
    @pytest.mark.parametrize(
        "raw",
        ["12.ABC.345/01DE-35", "12ABC34501DE35", "12.abc.345/01de-35", "  12ABC34501DE35\n", "12 ABC 345 01DE 35"],
    )
    def test_masked_bare_lowercase_and_padded_inputs_normalize_to_the_14_char_form(self, raw: str) -> None:
        cnpj = parse_cnpj(raw)
        assert cnpj == Cnpj("12ABC34501DE35")
        assert cnpj.formatted == "12.ABC.345/01DE-35"
        assert cnpj.is_alphanumeric

    def test_numeric_cnpj_keeps_leading_zeros_and_formats(self) -> None:
        cnpj = parse_cnpj("00.000.000/0001-91")
        assert cnpj.value == "00000000000191"
        assert str(cnpj) == "00000000000191"
        assert cnpj.formatted == "00.000.000/0001-91"
        assert cnpj.root == "00000000"
        assert not cnpj.is_alphanumeric

    def test_format_cnpj_places_the_mask(self) -> None:
        assert format_cnpj("00000000E08G12") == "00.000.000/E08G-12"


class TestRejections:
    @pytest.mark.parametrize(
        ("raw", "reason"),
        [
            ("1913124300019", "wrong_length"),
            ("191312430001977", "wrong_length"),
            ("", "wrong_length"),
            ("19.131.243/0001", "wrong_length"),
            ("19131243000!97", "invalid_characters"),
            ("12ÃBC34501DE35", "invalid_characters"),
            ("\uff11\uff12ABC34501DE35", "invalid_characters"),  # full-width digits are not ASCII digits
            # Issue 15: a non-ASCII dash or space inside the mask is a character problem, not a length problem.
            ("19.131.243/0001\u201397", "invalid_characters"),  # en dash
            ("19.131.243/0001\u201097", "invalid_characters"),  # Unicode hyphen
            ("19.131.243/0001\u221297", "invalid_characters"),  # minus sign
            ("19.131.243/0001\u00a0-97", "invalid_characters"),  # no-break space
            ("19.131.243\u2009/0001-97", "invalid_characters"),  # thin space
            ("19.131.243/0001-\u200b97", "invalid_characters"),  # zero-width space
            ("19\u3000131\u3000243000197", "invalid_characters"),  # ideographic space
            ("12ABC34501DE3A", "non_numeric_check_digits"),
            ("12ABC34501DEAB", "non_numeric_check_digits"),
            ("19131243000198", "wrong_check_digits"),
            ("12ABC34501DE36", "wrong_check_digits"),
            ("00000000000000", "repeated_character"),
            ("11111111111111", "repeated_character"),
            ("AAAAAAAAAAAAAA", "non_numeric_check_digits"),
        ],
    )
    def test_each_problem_is_named(self, raw: str, reason: str) -> None:
        with pytest.raises(InvalidCnpj) as caught:
            parse_cnpj(raw)
        error = caught.value
        assert error.reason == reason
        assert error.status == 422
        assert error.details == [{"field": "cnpj", "reason": reason, "message": error.message}]
        assert not is_valid(raw)

    def test_all_zeros_passes_the_checksum_but_is_still_rejected(self) -> None:
        # 00000000000000 is the one repeated string whose check digits are right (providers.md 3.2).
        assert check_digits("000000000000") == "00"
        with pytest.raises(InvalidCnpj) as caught:
            parse_cnpj("00.000.000/0000-00")
        assert caught.value.reason == "repeated_character"

    @pytest.mark.parametrize("raw", [None, 19131243000197, b"19131243000197", ["19131243000197"]])
    def test_non_strings_are_rejected(self, raw: object) -> None:
        with pytest.raises(InvalidCnpj) as caught:
            parse_cnpj(raw)
        assert caught.value.reason == "not_a_string"


class TestProperties:
    @given(body=bodies)
    def test_twelve_chars_plus_computed_digits_always_validate(self, body: str) -> None:
        value = body + check_digits(body)
        # The only exception is the all-same string, rejected on purpose (only 00000000000000 can occur).
        assume(len(set(value)) > 1)
        assert parse_cnpj(value).value == value
        assert parse_cnpj(format_cnpj(value).lower()).value == value

    @given(body=bodies, position=st.integers(min_value=12, max_value=13), replacement=st.sampled_from(ALPHABET))
    def test_any_change_to_a_check_digit_invalidates(self, body: str, position: int, replacement: str) -> None:
        value = body + check_digits(body)
        assume(replacement != value[position] and len(set(value)) > 1)
        mutant = value[:position] + replacement + value[position + 1 :]
        assert not is_valid(mutant)

    @settings(max_examples=300)
    @given(body=bodies, position=st.integers(min_value=0, max_value=11), replacement=st.sampled_from(ALPHABET))
    def test_a_body_change_invalidates_unless_the_mod11_scheme_cannot_see_it(
        self, body: str, position: int, replacement: str
    ) -> None:
        value = body + check_digits(body)
        assume(replacement != value[position] and len(set(value)) > 1)
        mutant_body = body[:position] + replacement + body[position + 1 :]
        mutant = mutant_body + value[12:]
        assume(len(set(mutant)) > 1)
        delta = (ord(replacement) - ord(body[position])) % 11
        r1, r2 = _residues(body)
        m1, m2 = _residues(mutant_body)
        # Mod 11 misses a change exactly when the values differ by a multiple of 11 (only possible with letters:
        # 6<->A, 0<->F, A<->L, ...) or when both remainders fall in {0, 1}, which the RFB rule maps to the same 0.
        invisible = delta == 0 or ({r1, m1} <= {0, 1} and {r2, m2} <= {0, 1})
        assert is_valid(mutant) == invisible

    @pytest.mark.parametrize(
        ("original", "mutant"),
        [
            ("12ABC34501DE35", "G2ABC34501DE35"),  # '1' (1) -> 'G' (23): differs by 22
            ("12ABC34501DE35", "126BC34501DE35"),  # 'A' (17) -> '6' (6): differs by 11
            ("71147759745900", "71147759945900"),  # numeric: remainders 0/1 both give check digit 0
        ],
    )
    def test_single_changes_the_rfb_algorithm_cannot_detect(self, original: str, mutant: str) -> None:
        # Documented finding: "any single-character change invalidates" is not true of the RFB scheme itself.
        assert is_valid(original)
        assert is_valid(mutant)
