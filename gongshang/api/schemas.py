"""Base schema for request bodies, and the shared field types of the API contract.

ApiSchema refuses what it does not know: an unknown field, or a body that is not a JSON object,
answers 422 naming it (and the OpenAPI document says `additionalProperties: false`), instead of
being silently dropped. Text fields refuse NUL characters (PostgreSQL cannot store them).
Response shapes use ninja's plain Schema (unknown keys ignored, never a refusal): they are built by
us, not sent by callers. Each lists every key the presenter emits, so the body is unchanged; the
helpers below keep it so where a plain type would alter it.
"""

from typing import Annotated, Any, Literal

from django.utils.functional import Promise
from ninja import Schema
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema, field_validator, model_serializer

# validate_mobile (core.validators) also accepts +86, spaces and dashes and stores the 11 digits.
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
MOBILE_DESCRIPTION = "中国大陆手机号：11 位数字，以 13～19 开头（可带 +86、空格或短横线，保存时去除）"


def mobile_field(default: Any = ..., *, optional: bool = False, description: str = MOBILE_DESCRIPTION):
    """A mobile number field; `optional` documents that "" (not given) is accepted too."""
    pattern = r"^(1[3-9][0-9]{9})?$" if optional else MOBILE_PATTERN
    return Field(default, max_length=20, description=description, json_schema_extra={"pattern": pattern})


def _no_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("包含不可见的控制字符（\\u0000），请删除后重试")
    if isinstance(value, list | tuple):
        for item in value:
            _no_nul(item)
    return value


class ApiSchema(Schema):
    model_config = ConfigDict(from_attributes=True, extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def refuse_nul(cls, value):
        return _no_nul(value)


def choice_filter(choices) -> Any:
    """A list filter limited to a TextChoices' values (or "" for all): the document lists them, and
    any other value answers 422 naming the parameter and the allowed values, never an empty list."""
    return Literal[("", *choices.values)]


def _text(value: Any) -> Any:
    return str(value) if isinstance(value, Promise) else value


# A label that may be a lazy translation (TextChoices labels): sent as the plain string.
Text = Annotated[str, BeforeValidator(_text)]
# Timestamps the presenters already format (local time, ISO 8601 with offset): sent as they are.
IsoDateTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


class PartialOut(Schema):
    """An answer whose optional keys appear only when the presenter sets them (absent, not null):
    the fields with defaults are documented as not required, and left out when not given."""

    @model_serializer(mode="wrap")
    def _only_given(self, handler):
        data, given, fields = handler(self), self.model_fields_set, type(self).model_fields
        return {k: v for k, v in data.items() if k in given or fields[k].is_required()}
