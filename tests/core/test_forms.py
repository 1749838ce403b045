import pytest
from django.core.exceptions import ValidationError

from core.forms import BoundedModelMultipleChoiceField
from operators.models import Operator


def test_ids_past_the_database_integers_are_refused_as_unknown(operator, other_operator):
    field = BoundedModelMultipleChoiceField(queryset=Operator.objects.all())
    assert list(field.clean([str(operator.pk), str(other_operator.pk)])) == [operator, other_operator]
    for huge in ("9" * 30, "-" + "9" * 30, str(2**63)):
        with pytest.raises(ValidationError) as refused:
            field.clean([str(operator.pk), huge])
        assert refused.value.code == "invalid_pk_value"
    with pytest.raises(ValidationError) as refused:
        field.clean(["abc"])
    assert refused.value.code == "invalid_pk_value"
