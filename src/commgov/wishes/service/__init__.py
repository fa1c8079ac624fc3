"""What ``cg.wishes`` does."""
