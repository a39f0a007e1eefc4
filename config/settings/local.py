"""Local development settings (the default): SQLite and local files under var/."""

from .base import *  # noqa: F401,F403
