"""Councils' values and pure rules."""
