"""Audit: the per-tenant trail of every mutation and auth event, and the record a deleted tenant leaves.

The root stays light (no pynamodb): handlers import it at cold start; storage is radar.audit.repository.
Imports: context, errors, pagination, schema, store, timestamps.
"""

from __future__ import annotations

from radar.audit.service import ACTIONS, OUTCOMES, event_write, query_events, record_event, request_metadata

__all__ = ["ACTIONS", "OUTCOMES", "event_write", "query_events", "record_event", "request_metadata"]
