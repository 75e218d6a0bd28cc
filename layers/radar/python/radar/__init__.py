"""cnpj-radar's domain package: one package per capability, each with the same anatomy (docs/architecture.md).

Shared kernel: errors, settings (EnvSettings, the one way to read the environment), timestamps, schema, report, cnpj,
context, tiers, observability, aws (the one boto3 client cache), pagination, http (errors to HTTP, once), tables and
store (the main table). Capabilities: lookup (the provider chain, over providers, normalize and coordination),
checks, targets, metering, accounts, sessions, apikeys, tenants, authorizer, audit, gateway_keys. Which package may
import which is the package map of docs/architecture.md; tests/unit/test_package_graph.py holds the code to it.

Binding models to tables, the one way: item models subclass radar.store.MainTableModel and name no table; each
handler calls radar.tables.bind_main_table(ENV.main_table) once at module scope (its cold start), and every model's
Meta reads the table's name and region from that binding. Nothing mutates a model's Meta or pynamodb's private state
at run time; all item types share one connection with the SDK's short timeouts and retries.
"""

__all__: list[str] = []
