"""No way of gaining a place widens what a person may read.

For each persona, every way the portal offers to gain a membership, a
participation or a role (invitations, team edits, join requests and their
decision, series and participant edits, a new series) is tried through the
views, as an attacker would; then every page of the permission table is
read again. A page that answered 403, 404 or the sign-in page before must
not answer 200 after, and the person's memberships and series must not grow.
"""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.selectors import user_operator_roles
from meetings.models import JoinRequest, Series
from meetings.selectors import coordinated_series_ids, participating_series_ids
from operators.models import MembershipRole, Operator, OperatorMembership

from .test_permissions import EXPECTED, POST_ONLY, _outcome, url_kwargs  # noqa: F401  (url_kwargs is a fixture)

ATTACKERS = ["outsider", "other_member", "member", "referent", "other_coordinator", "coordinator"]


# Team pages: a coordinator who adds an operator to their series may manage its team from
# then on (the operator's referents are told, see test_referents_are_told_*); the content
# of the operator's other series stays out of reach, which the other pages check.
# The same goes for a link of the map between two operators: once both take part in the
# coordinator's own series, that series is evidence of the link (and only it: the
# evidence of other series stays filtered by meetings.view_series).
TEAM_PAGES = {"operators:edit", "operators:members", "bassins:map_link"}


def _readable(client, kwargs) -> set[str]:
    readable = set()
    for name in EXPECTED:
        if name in POST_ONLY or name in TEAM_PAGES:
            continue
        if _outcome(client.get(reverse(name, kwargs=kwargs.get(name)))) == 200:
            readable.add(name)
    return readable


def _places(user) -> tuple:
    """What the person holds, read afresh (the per-request caches dropped)."""
    for attr in [a for a in vars(user) if a.startswith("_carrefour_")]:
        delattr(user, attr)
    return (
        dict(user_operator_roles(user)),
        set(participating_series_ids(user)),
        set(coordinated_series_ids(user)),
        user.groups.count(),
    )


def _attempt_everything(client, user, series) -> list:
    """Every way in, through the views; returns the responses that failed with a server error."""
    errors = []

    def post(name, data, **kwargs):
        response = client.post(reverse(name, kwargs=kwargs or None), data)
        if response.status_code >= 500:
            errors.append((name, data, response.status_code))
        return response

    others = list(Series.objects.exclude(pk=series.pk))
    all_series = [series, *others]
    for operator in Operator.objects.all():
        for role in MembershipRole.values:
            post(
                "accounts:invitation_create",
                {"email": user.email, "operator": operator.pk, "role": role, "language": "fr"},
            )
            post(
                "accounts:invitation_create",
                {"email": user.email.upper(), "operator": operator.pk, "role": role, "language": "fr"},
            )
    post(
        "accounts:invitation_create", {"email": user.email, "as_coordinator": "on", "role": "member", "language": "fr"}
    )
    for membership in OperatorMembership.objects.select_related("operator"):
        post(
            "operators:membership_role",
            {"role": MembershipRole.REFERENT},
            slug=membership.operator.slug,
            pk=membership.pk,
        )
    for each in all_series:
        key = {"series_id": each.public_id}
        for operator in Operator.objects.all():
            post(
                "meetings:join_request_create",
                {"operator": operator.pk, "message": "Nous aimerions participer."},
                **key,
            )
            post("meetings:participants", {"operator": operator.pk}, **key)
        post("meetings:series_edit", {"name": each.name, "coordinators": [user.pk]}, **key)
    for join_request in JoinRequest.objects.select_related("series"):
        post(
            "meetings:join_request_decide",
            {"decision": "accept", "reply": ""},
            series_id=join_request.series.public_id,
            pk=join_request.pk,
        )
    post(
        "meetings:series_create",
        {
            "name": "Ma série",
            "kind": Series.Kind.CRISIS_VIDEOCONFERENCE,
            "operators": list(Operator.objects.values_list("pk", flat=True)),
        },
    )
    return errors


@pytest.mark.parametrize("persona", ATTACKERS)
def test_no_way_in_widens_what_a_person_reads(persona, persona_client, url_kwargs, request, other_member, series):  # noqa: F811
    user = request.getfixturevalue(persona)
    client = persona_client(persona)
    before, places_before = _readable(client, url_kwargs), _places(user)

    errors = _attempt_everything(client, user, series)

    assert errors == []
    assert _readable(client, url_kwargs) <= before
    roles, participating, coordinated, groups = _places(user)
    assert roles == places_before[0]
    assert participating <= places_before[1]
    assert groups == places_before[3]
    # A coordinator may create a series of their own; they gain no series of someone else.
    assert coordinated - places_before[2] <= set(Series.objects.filter(name="Ma série").values_list("pk", flat=True))


def test_coordinator_cannot_add_herself_to_an_operator_of_another_series(
    client, other_coordinator, operator, referent, series
):
    """The reproduction of the report: Archipel's coordinator and Canopée, a Namur operator."""
    client.force_login(other_coordinator)
    response = client.post(
        reverse("accounts:invitation_create"),
        {"email": other_coordinator.email, "operator": operator.pk, "role": "member", "language": "fr"},
    )
    assert response.status_code == 200
    assert not operator.memberships.filter(user=other_coordinator).exists()
    assert "operator" in response.context["form"].errors


def test_coordinator_of_the_series_cannot_add_herself_either(client, coordinator, operator, referent, series):
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:invitation_create"),
        {"email": coordinator.email, "operator": operator.pk, "role": "member", "language": "fr"},
    )
    assert "Vous ne pouvez pas vous ajouter vous-même" in str(response.context["form"].errors["email"])
    assert not operator.memberships.filter(user=coordinator).exists()


def test_referents_are_told_of_every_change_to_their_team(
    client, coordinator, operator, referent, member, series, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    colleague = UserFactory(email="collegue@example.org")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:invitation_create"),
            {"email": colleague.email, "operator": operator.pk, "role": "member", "language": "fr"},
        )
    assert operator.memberships.filter(user=colleague).exists()
    to_referent = [m for m in mail.outbox if m.to == [referent.email]]
    assert len(to_referent) == 1
    message = to_referent[0]
    assert "Canopée" in message.subject
    assert "Opérateur Canopée : une personne a été ajoutée à l'équipe comme membre." in message.body
    assert "collegue@example.org" not in message.body and colleague.name not in message.body
    assert reverse("operators:members", kwargs={"slug": operator.slug}) in message.body

    mail.outbox.clear()
    membership = operator.memberships.get(user=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("operators:membership_role", kwargs={"slug": operator.slug, "pk": membership.pk}),
            {"role": "referent"},
        )
        client.post(reverse("operators:membership_remove", kwargs={"slug": operator.slug, "pk": membership.pk}))
    bodies = [m.body for m in mail.outbox if m.to == [referent.email]]
    assert len(bodies) == 2
    assert "Opérateur Canopée : une personne de l'équipe est désormais référente." in bodies[0]
    assert "Opérateur Canopée : une personne a été retirée de l'équipe." in bodies[1]


def test_a_member_cannot_promote_herself(client, member, operator, referent, series):
    membership = operator.memberships.get(user=member)
    client.force_login(member)
    client.post(
        reverse("operators:membership_role", kwargs={"slug": operator.slug, "pk": membership.pk}), {"role": "referent"}
    )
    membership.refresh_from_db()
    assert membership.role == MembershipRole.MEMBER


def test_referents_are_told_when_their_operator_is_added_to_a_series(
    client, other_coordinator, operator, referent, series, django_capture_on_commit_callbacks
):
    other_series = Series.objects.exclude(pk=series.pk).get()
    client.force_login(other_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("meetings:participants", kwargs={"series_id": other_series.public_id}), {"operator": operator.pk}
        )
    assert other_series.participations.filter(operator=operator).exists()
    (message,) = [m for m in mail.outbox if m.to == [referent.email]]
    assert message.subject == "Canopée participe désormais à « Concertation clinique »"
    assert str(other_series.public_id) in message.body
