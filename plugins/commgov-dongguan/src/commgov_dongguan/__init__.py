"""Dongguan's micro-governance (东莞微治理) as a commgov plugin."""

from commgov_dongguan import plugin, vocab

__all__ = ["plugin", "vocab"]
