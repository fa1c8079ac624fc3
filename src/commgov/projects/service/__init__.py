"""What ``cg.projects`` does."""
