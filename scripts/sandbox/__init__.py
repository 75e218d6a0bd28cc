"""Provider sandbox: a local HTTP server speaking cnpj.ws, BrasilAPI and ReceitaWS formats, limits and faults."""
