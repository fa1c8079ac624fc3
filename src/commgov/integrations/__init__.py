"""Integrations: how other applications reach the store — API keys (who calls the HTTP API),
webhooks (where domain events go) and their deliveries."""
