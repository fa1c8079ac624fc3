"""Shared resources' values and pure rules: vocabularies, opening hours, slots, utilisation."""
