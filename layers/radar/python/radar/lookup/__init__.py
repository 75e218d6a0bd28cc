"""The CNPJ lookup: the provider chain (cache, single-flight, providers in order behind limits and breakers).

One entry: `default_lookup().lookup(cnpj)` returns a `LookupResult` (radar.lookup.schemas) or raises `CnpjNotFound`
or `ProvidersUnavailable`. The providers it knows are radar.lookup.registry; its settings radar.lookup.settings;
its coordination state (radar.coordination) sits behind the protocols of radar.lookup.ports.
The root stays light (no report models, no providers): handlers import it at cold start.
Imports: cnpj, coordination, errors, observability, providers, report, settings, timestamps.
"""

from __future__ import annotations

from radar.lookup.errors import CnpjNotFound, ProvidersUnavailable
from radar.lookup.service import Lookup, LookupFactory, build_lookup, default_lookup, reset_lookup
from radar.lookup.settings import LookupSettings

__all__ = [
    "CnpjNotFound",
    "Lookup",
    "LookupFactory",
    "LookupSettings",
    "ProvidersUnavailable",
    "build_lookup",
    "default_lookup",
    "reset_lookup",
]
