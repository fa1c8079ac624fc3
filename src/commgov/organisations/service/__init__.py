"""What ``cg.organisations`` and ``cg.activities`` do."""
