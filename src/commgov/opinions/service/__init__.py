"""What ``cg.opinions`` does."""
