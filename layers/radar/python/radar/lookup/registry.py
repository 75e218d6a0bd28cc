"""The providers the lookup knows, in their default order: adding a provider is its module and one line here.

A provider module (radar.providers.<name>) holds the provider class, whose `from_environ(token_source=...)` reads
its own settings (a ProviderSettings subclass in the same module). Its rate limit is read from
RATE_LIMIT_<NAME>_PER_MIN (radar.lookup.settings), defaulting to the figure here; PROVIDER_ORDER picks and orders the
providers a deployment walks. Its data lag (how old its answers can be: a dump-based source lags by its dump cycle,
a live lookup by about nothing) is read from DATA_LAG_<NAME>, defaulting to the figure here; the chain puts providers
that cannot meet a request's max_age after those that can (docs/architecture.md, "Freshness routing").
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from radar.providers.base import Provider

__all__ = [
    "DAY",
    "DEFAULT_PROVIDER_ORDER",
    "PROVIDERS",
    "ProviderEntry",
    "build_providers",
    "outage_group",
    "provider_entry",
    "shares_outages",
]


DAY = 86400


class ProviderEntry(NamedTuple):
    name: str
    provider_class: str  # "module:Class", imported when the chain is built so that cold starts do not pay for it
    per_minute: float  # the provider's documented request limit: the default of RATE_LIMIT_<NAME>_PER_MIN
    uses_token: bool = False  # reads an API token from the provider tokens secret (a paid tier)
    # The provider this one proxies (BrasilAPI serves minha-receita's answers): an outage of the upstream is an
    # outage of both, which a breaker can read through outage_group().
    upstream: str | None = None
    # How old the provider's answers can be, in seconds (the default of DATA_LAG_<NAME>): a dump-based source lags by
    # its dump cycle plus its loading delay, a live lookup by about nothing. From the providers' docs (below).
    data_lag: float = 0.0

    def build(self) -> Provider:
        """The provider, configured from the environment; its token (if any) is read at call time."""
        from radar.lookup.tokens import token_source

        module, _, name = self.provider_class.partition(":")
        provider_class = getattr(importlib.import_module(module), name)
        tokens = token_source(self.name) if self.uses_token else None
        provider: Provider = provider_class.from_environ(token_source=tokens)
        return provider


PROVIDERS: tuple[ProviderEntry, ...] = (
    # Data lag (../shared/docs/providers.md, providers-more.md): cnpj.ws and ReceitaWS look a record up and date it
    # (`atualizado_em`, `ultima_atualizacao`), taken as live (0). minha-receita (and BrasilAPI, its proxy) load the
    # monthly Receita Federal dump by hand a few days after it is published (lags of months have happened): 45 days.
    # OpenCNPJ pulls the same monthly dump automatically (`/info` `last_updated` two weeks old on the 1st): 35 days.
    # CNPJá open serves CNPJá's own cache, "slightly outdated", dated per record (the paid API's maxAge default is
    # 45 days): 45 days.
    ProviderEntry("cnpjws", "radar.providers.cnpjws:CnpjWsProvider", per_minute=3, uses_token=True),
    ProviderEntry(
        "brasilapi", "radar.providers.brasilapi:BrasilApiProvider", per_minute=60, upstream="minhareceita",
        data_lag=45 * DAY,
    ),
    ProviderEntry("receitaws", "radar.providers.receitaws:ReceitaWsProvider", per_minute=3, uses_token=True),
    # No documented limit ("Se cair, caiu"; one or two small fly.io machines): 30/min is our conservative choice.
    ProviderEntry(
        "minhareceita", "radar.providers.minhareceita:MinhaReceitaProvider", per_minute=30, data_lag=45 * DAY
    ),
    # No fixed quota, bursts accepted, sustained volume refused (429, then a challenge): 60/min sustained.
    ProviderEntry("opencnpj", "radar.providers.opencnpj:OpenCnpjProvider", per_minute=60, data_lag=35 * DAY),
    # documented: 5/min per IP
    ProviderEntry("cnpja", "radar.providers.cnpja:CnpjaProvider", per_minute=5, data_lag=45 * DAY),
)
DEFAULT_PROVIDER_ORDER: tuple[str, ...] = tuple(entry.name for entry in PROVIDERS)
_BY_NAME = {entry.name: entry for entry in PROVIDERS}


def provider_entry(name: str) -> ProviderEntry:
    """The registry entry of `name`; KeyError for a provider the registry does not know."""
    return _BY_NAME[name]


def outage_group(name: str) -> str:
    """The source whose outage takes `name` down: its upstream, or itself (brasilapi and minhareceita share one)."""
    entry = _BY_NAME.get(name)
    return entry.upstream if entry is not None and entry.upstream else name


def shares_outages(first: str, second: str) -> bool:
    """True when one provider's outage is likely the other's (one proxies the other, or both the same source)."""
    return outage_group(first) == outage_group(second)


def build_providers(order: Sequence[str]) -> list[Provider]:
    """The providers named in `order`, each configured from the environment."""
    return [provider_entry(name).build() for name in order]
