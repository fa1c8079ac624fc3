"""The core's opinion rules, registered as a plugin like any town's (town plugins answer first)."""

from __future__ import annotations

NAME = "commgov.opinion_defaults"
