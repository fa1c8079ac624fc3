"""Votes' values and pure rules: options, electorates, rules, receipts and the tally."""
