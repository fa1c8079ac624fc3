"""Votes (表决): questions put to an electorate under a rule, with ballots the store keeps one
per voter, secret where asked, counted only after close."""
