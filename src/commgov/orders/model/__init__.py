"""Service-order values and pure rules: no SQLAlchemy, no I/O."""
