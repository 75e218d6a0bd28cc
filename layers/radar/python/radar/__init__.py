"""cnpj-radar domain package: CNPJ, providers, normalization, cache, tenancy, auth, stores, observability."""
