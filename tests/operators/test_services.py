import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from operators import services
from operators.models import MembershipRole, Operator, Public


def test_operator_create_gives_a_unique_slug_and_search_text(coordinator, territory):
    first = services.operator_create(
        actor=coordinator,
        name="Équipe Mobile",
        kind=Operator.Kind.CRISIS_DEVICE,
        territory=territory,
        publics=[Public.ADULTS],
    )
    second = services.operator_create(
        actor=coordinator, name="Équipe mobile!", kind=Operator.Kind.CRISIS_DEVICE, territory=territory
    )
    assert first.slug == "equipe-mobile" and second.slug == "equipe-mobile-2"
    assert "equipe mobile" in first.search_text
    assert first.public_codes == [Public.ADULTS]
    assert AuditEvent.objects.filter(action="operator.create").count() == 2


def test_operator_update_detects_a_stale_version(coordinator, operator):
    services.operator_update(actor=coordinator, operator=operator, version=1, description="Première")
    stale = Operator.objects.get(pk=operator.pk)
    with pytest.raises(services.EditConflict) as exc:
        services.operator_update(actor=coordinator, operator=stale, version=1, description="Seconde")
    assert exc.value.current.description == "Première"
    assert Operator.objects.get(pk=operator.pk).description == "Première"


def test_referent_changes_only_contact_fields(referent, operator):
    services.operator_update(
        actor=referent, operator=operator, version=operator.version, name="Renamed", description="Nouveau texte"
    )
    operator.refresh_from_db()
    assert operator.name == "Canopée" and operator.description == "Nouveau texte"


def test_the_last_referent_cannot_step_down_or_leave(coordinator, referent, member, operator, series):
    membership = operator.memberships.get(user=referent)
    with pytest.raises(ValidationError):
        services.membership_change_role(actor=coordinator, membership=membership, role=MembershipRole.MEMBER)
    with pytest.raises(ValidationError):
        services.membership_remove(actor=coordinator, membership=membership)
    other = operator.memberships.get(user=member)
    services.membership_change_role(actor=coordinator, membership=other, role=MembershipRole.REFERENT)
    services.membership_remove(actor=coordinator, membership=membership)
    assert list(operator.memberships.values_list("user", flat=True)) == [member.pk]
