"""What ``cg.orders`` does."""
