"""What ``cg.votes`` does."""
