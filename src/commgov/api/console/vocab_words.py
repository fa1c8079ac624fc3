"""A model's vocabulary in the request's language: pairs of Chinese and English words, and
labels that hold both (``待认领 open``)."""

from __future__ import annotations

from collections.abc import Mapping

from commgov.api.console.i18n import DEFAULT


def pick(words: tuple[object, ...], lang: str) -> str:
    """The Chinese (first) or English (second) of a vocabulary's pair."""
    return str(words[0] if lang == DEFAULT else words[1])


def split(label: str, lang: str) -> str:
    """``待认领 open`` → ``待认领`` in Chinese, ``open`` in English."""
    chinese, _, english = label.partition(" ")
    return chinese if lang == DEFAULT or not english else english


def worded(vocabulary: Mapping[str, tuple[object, ...]], code: str, lang: str) -> str:
    """A code's words from a vocabulary of pairs (the code itself when unknown)."""
    found = vocabulary.get(code)
    return code if found is None else pick(found, lang)
