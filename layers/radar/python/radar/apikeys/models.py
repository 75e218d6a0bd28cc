"""PynamoDB item of a machine API key in the main table (keys per docs/architecture.md)."""

from __future__ import annotations

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from radar.store import Gsi1, MainTableModel

__all__ = ["ApiKeyHashItem", "ApiKeyItem", "apikey_sk", "key_hash_pk"]


def apikey_sk(key_id: str) -> str:
    return f"APIKEY#{key_id}"


def key_hash_pk(key_hash: str) -> str:
    """gsi1pk of a key: the SHA-256 of its text, so the authorizer finds a key without knowing its tenant."""
    return f"APIKEYHASH#{key_hash}"


class ApiKeyItem(MainTableModel):
    key_id = UnicodeAttribute()
    tenant_id = UnicodeAttribute()
    name = UnicodeAttribute()
    role = UnicodeAttribute()
    prefix = UnicodeAttribute()
    key_hash = UnicodeAttribute()
    revoked = BooleanAttribute(default=False)
    revoked_at = UnicodeAttribute(null=True)
    last_used_at = NumberAttribute(null=True)
    created_at = UnicodeAttribute()
    created_by = UnicodeAttribute()
    gsi1pk = UnicodeAttribute()
    gsi1sk = UnicodeAttribute(default="APIKEY")
    by_hash: Gsi1[ApiKeyItem] = Gsi1()  # gsi1pk = APIKEYHASH#<sha256>, gsi1sk = APIKEY


class ApiKeyHashItem(MainTableModel):
    """Where a key lives, by the hash of its text (pk = APIKEYHASH#<sha256>, sk = APIKEY): written with the key in one
    transaction and read with a consistent GetItem, so a new key works at once (the GSI is eventually consistent)."""

    sk = UnicodeAttribute(range_key=True, default="APIKEY")
    tenant_id = UnicodeAttribute()
    key_id = UnicodeAttribute()
