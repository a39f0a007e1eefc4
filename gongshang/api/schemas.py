"""Base schema for request bodies: text fields refuse NUL characters (PostgreSQL cannot store
them) with a 422 naming the field, instead of failing in the database."""

from typing import Any

from ninja import Schema
from pydantic import field_validator


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("包含不可见的控制字符（\\u0000），请删除后重试")
    if isinstance(value, list | tuple):
        for item in value:
            _no_nul(item)
    return value


class ApiSchema(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def refuse_nul(cls, value):
        return _no_nul(value)
