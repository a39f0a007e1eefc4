"""TextChoices built from a pure rules table {code: label}, so rules, pages and API share one list."""

from django.db import models


def choices_from(name: str, table: dict[str, str]) -> type[models.TextChoices]:
    return models.TextChoices(name, [(code.upper(), (code, label)) for code, label in table.items()])
