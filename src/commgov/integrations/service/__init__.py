"""What ``cg.api_keys`` and ``cg.webhooks`` do, and the deliverer of the outbox's events."""
