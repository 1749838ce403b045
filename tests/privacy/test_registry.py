"""Every model that names a person is exported and handled by erasure: a new
one that privacy/registry.py does not list makes this test fail, by name."""

import pytest
from django.apps import apps
from django.conf import settings

from privacy.exports import person_data
from privacy.registry import HOLDERS

from ..factories import UserFactory


def _person_fields():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                yield model._meta.label_lower, field.name


def test_every_foreign_key_to_a_person_is_in_the_registry():
    missing = [
        f"{label}.{name}"
        for label, name in _person_fields()
        if label not in HOLDERS or name not in HOLDERS[label].fields
    ]
    assert not missing, f"Models holding a person that neither export nor erasure handle: {missing}"


def test_the_registry_names_only_real_models_and_fields():
    found = set(_person_fields())
    listed = {(label, name) for label, holder in HOLDERS.items() for name in holder.fields}
    assert listed == found


@pytest.mark.parametrize("label", sorted(HOLDERS))
def test_each_model_is_exported_or_says_why_not(label):
    holder = HOLDERS[label]
    assert bool(holder.export) != bool(holder.not_exported)


@pytest.mark.django_db
def test_every_export_column_is_a_valid_lookup():
    tables = person_data(UserFactory())
    assert set(tables) == {"profile"} | {label for label, holder in HOLDERS.items() if holder.export}
