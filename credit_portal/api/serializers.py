"""Serializer helpers shared by the API modules."""

from __future__ import annotations

from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


class PrebuiltFieldsMixin:
    """Output-only serializers whose fields need nothing of the request: the fields are built once per class.

    DRF copies a serializer's declared fields for every instance (each field re-created from its arguments), which
    for the public record lists costs about as much as the query of a one-row page. Fields here are built once, on
    a prototype, and reused: they must not read ``self.context`` (method fields may use their serializer's methods,
    which are called on the prototype). ``to_representation`` does what ``Serializer.to_representation`` does;
    tests/core/test_prebuilt_serializers.py compares the two on real records.
    """

    @classmethod
    def prebuilt_fields(cls) -> list:
        fields = cls.__dict__.get("_prebuilt_fields")
        if fields is None:
            fields = [field for field in cls().fields.values() if not field.write_only]
            cls._prebuilt_fields = fields  # per class: a subclass declares fields of its own
        return fields

    def to_representation(self, instance) -> dict:
        representation = {}
        for field in self.prebuilt_fields():
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            value = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            representation[field.field_name] = None if value is None else field.to_representation(attribute)
        return representation
