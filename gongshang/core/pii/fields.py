"""Model fields for personal information.

    id_number = EncryptedTextField("身份证号")
    id_number_index = BlindIndexField(source="id_number")

Look rows up with `Model.objects.filter(id_number_index=blind_index(value))`; the encrypted
column itself cannot be searched (each write uses a fresh IV).

    params = EncryptedJSONField("参数", default=dict)   # any JSON value, encrypted as a whole
"""

import json

from django import forms
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .crypto import blind_index, decrypt, encrypt


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))

    def get_lookup(self, lookup_name):
        if lookup_name not in {"isnull", "exact"}:
            raise TypeError(f"加密字段不支持 {lookup_name} 查询，请使用盲索引字段")
        return super().get_lookup(lookup_name)


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict, list, str, number…) stored as encrypt(json.dumps(value)) in a text column.

    None is stored as NULL (with null=True); every other value, an empty dict included, is
    encrypted, so the column never holds plain JSON. Only `isnull` lookups work.
    """

    description = "JSON encrypted at rest (Fernet)"
    empty_strings_allowed = False

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return json.loads(decrypt(value))

    def to_python(self, value):
        return value  # already a Python value (as with models.JSONField)

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj):
        # Serializers (dumpdata) write the value itself, as they do for models.JSONField.
        return self.value_from_object(obj)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise TypeError(f"加密字段不支持 {lookup_name} 查询")
        return super().get_lookup(lookup_name)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


class BlindIndexField(models.CharField):
    """Keyed hash of another field on the same model, refreshed whenever the row is saved."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = blind_index(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value
