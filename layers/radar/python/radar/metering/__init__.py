"""Metering: each tenant's monthly check allowance, counted atomically per month and day in the main table.

Not the gateway's usage keys (radar.gateway_keys): this is how many checks a plan includes.
The root stays light (no boto3): radar.metering.service does the counting, radar.metering.report shapes the
consumption report from the per-day counters.
Imports: aws, errors, schema, store, tables, tiers, timestamps.
"""

from __future__ import annotations

from radar.metering.schemas import UsageOut

__all__ = ["UsageOut"]
