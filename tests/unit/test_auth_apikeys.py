"""Machine API keys: format, hash, display prefix."""

from __future__ import annotations

from radar.apikeys import keys as apikeys


def test_keys_are_random_prefixed_and_recognisable():
    key, prefix = apikeys.generate_api_key()
    other, _ = apikeys.generate_api_key()

    assert key != other and key.startswith("rdr_") and len(key) >= 44
    assert key.startswith(prefix) and len(prefix) == len("rdr_") + 8
    assert apikeys.looks_like_api_key(key)
    assert not apikeys.looks_like_api_key("rdr_short") and not apikeys.looks_like_api_key("x" * 48)


def test_hash_is_sha256_hex_and_mask_shows_only_the_prefix():
    key, prefix = apikeys.generate_api_key()

    digest = apikeys.api_key_hash(key)

    assert len(digest) == 64 and digest == apikeys.api_key_hash(key) and key not in digest
    assert apikeys.mask(prefix) == prefix + "..." and key not in apikeys.mask(prefix)
