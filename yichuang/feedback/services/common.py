"""Small checks the feedback verbs share."""

from yichuang.core.text import required_text

__all__ = ["required_text"]
