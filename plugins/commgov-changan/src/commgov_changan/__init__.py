"""Chang'an's service points (长安服务点) as a commgov plugin."""

from commgov_changan import plugin, vocab

__all__ = ["plugin", "vocab"]
