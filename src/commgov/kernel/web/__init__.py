"""What every capability's HTTP routes share: who is calling, the services, errors as RFC 9457
problems, cursor pages and ``Idempotency-Key``. Needs the ``api`` extra (FastAPI)."""
