"""Micro-wishes (微心愿): wants, offers and suggestions, triaged into three tiers, matched,
fulfilled and counted (see ``docs/wishes.md``)."""
