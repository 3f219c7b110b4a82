"""One error tree for the whole library.

Every error carries a one-line message that names the input and what is wrong,
so the shells can print it as is and exit non-zero without a traceback.
"""

from __future__ import annotations


class NewsbriefError(Exception):
    """Base of every error newsbrief raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, origin: str | None = None) -> None:
        self.origin = origin
        super().__init__(f"{origin}: {message}" if origin else message)


class InputError(NewsbriefError):
    """An input could not be read or holds no usable article."""

    exit_code = 2


class FetchError(InputError):
    """A URL could not be fetched (timeout, HTTP error, too large, refused)."""


class NoArticlesError(InputError):
    """A run ended with zero usable articles."""


class ConfigError(NewsbriefError):
    """A setting is malformed or names something that does not exist."""

    exit_code = 3


class ModelError(NewsbriefError):
    """A model could not be loaded or run."""

    exit_code = 4


class StoreError(NewsbriefError):
    """The story library could not be read or written."""

    exit_code = 5


class NotFoundError(NewsbriefError):
    """A stored object (story, article) does not exist."""

    exit_code = 6
