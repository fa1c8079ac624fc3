"""Opinion-board values and pure rules: no SQLAlchemy, no I/O."""
