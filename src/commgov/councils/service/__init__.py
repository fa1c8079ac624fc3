"""What ``cg.councils`` does."""
