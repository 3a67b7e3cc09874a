"""A multiple-choice model field stored as ",a,b," text: filterable with `__contains` on every database.

JSONField `contains` is not available on SQLite, and an M2M to a choices table would be
heavy for a handful of fixed values (teacher categories, age stages).
"""

from __future__ import annotations

from django import forms
from django.db import models


class MultipleChoiceField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    @staticmethod
    def _to_list(value) -> list[str]:
        if value is None or value == "":
            return []
        if isinstance(value, str):
            return [v for v in value.split(",") if v]
        return [str(v) for v in value]

    def from_db_value(self, value, expression, connection):
        return self._to_list(value)

    def to_python(self, value):
        return self._to_list(value)

    def get_prep_value(self, value):
        if isinstance(value, str):
            return value  # a lookup value such as ",head," or an already encoded string
        items = self._to_list(value)
        return f",{','.join(items)}," if items else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        valid = {str(k) for k, _label in self.flatchoices}
        unknown = [v for v in self._to_list(value) if v not in valid]
        if unknown:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": unknown[0]}
            )
        if not self.blank and not value:
            from django.core.exceptions import ValidationError

            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )

    def contains(self, value: str) -> str:
        """The `__contains` argument that matches rows holding `value`."""
        return f",{value},"
