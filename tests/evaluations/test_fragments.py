"""The evaluation page's cached fragment (evaluations/fragments.py): a write
shows at once, whoever writes it and however; two people see their own
rights, forms and CSRF token; each language has its own; the page runs a
fixed number of queries."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from evaluations import services
from evaluations.models import SectionComment
from meetings.models import Participation
from operators.models import MembershipRole
from operators.services import operator_update

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory


@pytest.fixture
def evaluation(series, coordinator):
    return services.evaluation_open(actor=coordinator, series=series)


def url(evaluation) -> str:
    return reverse("evaluations:evaluation_detail", kwargs={"evaluation_id": evaluation.public_id})


def page(client, evaluation) -> str:
    response = client.get(url(evaluation))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_write_shows_at_once(client, evaluation, series, coordinator, referent, operator, admin_user):
    login(client, coordinator)
    assert "0 sur 1 ont répondu" in page(client, evaluation)
    assert "Brouillon" not in page(client, evaluation)  # served from the cache

    services.response_save(actor=referent, evaluation=evaluation, operator=operator, values={}, version=0, submit=False)
    assert "Brouillon" in page(client, evaluation)

    section = evaluation.sections.first()
    # An UPDATE (no signal): the service drops the fragment itself.
    services.section_save(actor=referent, section=section, body="Un pilote utile.", version=0)
    after = page(client, evaluation)
    assert "Un pilote utile." in after and "Dernière rédaction par Isabelle Henrard" in after

    services.section_comment_add(actor=referent, section=section, body="À compléter")
    assert "À compléter" in page(client, evaluation)

    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    assert 'data-status="drafting"' in page(client, evaluation)
    services.approval_give(actor=referent, evaluation=evaluation, operator=operator)
    assert "1 ont validé le rapport" in page(client, evaluation)
    services.approval_withdraw(actor=referent, evaluation=evaluation, operator=operator)
    assert "0 ont validé le rapport" in page(client, evaluation)

    # What meetings and the directory own: the operators taking part, their names and people's names.
    newcomer = OperatorFactory(name="Polaris", short_name="Polaris", territory=operator.territory)
    Participation.objects.create(series=series, operator=newcomer, since=dt.date(2020, 9, 1))
    assert "Polaris" in page(client, evaluation)
    operator_update(actor=admin_user, operator=operator, version=operator.version, short_name="Canopée (Beauvallon)")
    assert "Canopée (Beauvallon)" in page(client, evaluation)
    referent.name = "Isabelle Henrard-Lambert"
    referent.save(update_fields=["name"])
    assert "Dernière rédaction par Isabelle Henrard-Lambert" in page(client, evaluation)

    # Final, then a new version: the page of the first one lists the second.
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="final")
    assert "finalisée le" in page(client, evaluation)
    second = services.evaluation_open(actor=coordinator, series=series)
    assert url(second) in page(client, evaluation)


def test_a_comment_removed_in_the_admin_goes(client, evaluation, coordinator, referent):
    section = evaluation.sections.first()
    comment = services.section_comment_add(actor=referent, section=section, body="À retirer")
    login(client, coordinator)
    assert "À retirer" in page(client, evaluation)
    SectionComment.objects.get(pk=comment.pk).delete()  # the section is read to find the evaluation
    assert "À retirer" not in page(client, evaluation)


def test_each_person_sees_their_own_rights_and_forms(
    client, evaluation, coordinator, referent, member, operator, other_operator, series
):
    """Cached first for the coordinator, the page gives no steering to a
    member; a referent is offered to approve for their operator only."""
    Participation.objects.create(series=series, operator=other_operator, since=dt.date(2020, 9, 1))
    other_referent = MembershipFactory(operator=other_operator, role=MembershipRole.REFERENT).user
    services.evaluation_transition(actor=coordinator, evaluation=evaluation, to="drafting")
    approve = reverse("evaluations:approval", kwargs={"evaluation_id": evaluation.public_id})

    as_coordinator = page(login(client, coordinator), evaluation)
    assert "Pilotage" in as_coordinator and "Modifier « Contexte »" in as_coordinator
    assert approve not in as_coordinator

    as_member = page(login(client, member), evaluation)
    assert "Pilotage" not in as_member and "Modifier « Contexte »" not in as_member
    assert "Ajouter le commentaire" not in as_member and approve not in as_member

    as_referent = page(login(client, referent), evaluation)
    assert "Pilotage" not in as_referent and "Modifier « Contexte »" in as_referent
    assert "Nous validons (Canopée)" in as_referent and "Nous validons (Polaris)" not in as_referent

    as_other = page(login(client, other_referent), evaluation)
    assert "Nous validons (Polaris)" in as_other and "Nous validons (Canopée)" not in as_other


def token_of_comment_form(content: str) -> str:
    form = re.search(
        r'action="[^"]*/comments/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', content
    )
    assert form, "no comment form with a token"
    return form.group(1)


def test_the_cached_forms_carry_each_persons_own_token(evaluation, coordinator, referent):
    """The forms of the fragment, cached by the first person, post with the second's token."""
    section = evaluation.sections.first()
    comment = reverse(
        "evaluations:section_comment", kwargs={"evaluation_id": evaluation.public_id, "section_id": section.pk}
    )
    for person, text in ((coordinator, "Premier"), (referent, "Second")):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        content = client.get(url(evaluation)).content.decode()
        assert "csrf-slot" not in content
        token = token_of_comment_form(content)
        assert client.post(comment, {"body": text}).status_code == 403  # no token: refused
        assert client.post(comment, {"body": text, "csrfmiddlewaretoken": token}).status_code == 302
    assert list(section.comments.values_list("body", flat=True)) == ["Premier", "Second"]


def test_each_language_has_its_own_fragment(client, evaluation, coordinator):
    login(client, coordinator)
    french = page(client, evaluation)
    assert "Le rapport" in french and "Les opérateurs" in french
    User.objects.filter(pk=coordinator.pk).update(language="en")
    english = page(client, evaluation)
    assert "The report" in english and "The operators" in english and "Le rapport" not in english
    User.objects.filter(pk=coordinator.pk).update(language="fr")
    assert "Le rapport" in page(client, evaluation)


# The session, the person, a savepoint (ATOMIC_REQUESTS), the evaluation, the
# series they coordinate, their operators' referents in it, their group (is
# a coordinator: the base template), the savepoint released… (the benchmark's
# settings add the second factor's check: 9 there)
WARM = 8
# …and, when the fragment is rendered: responses, approvals, operators,
# sections, their comments, the versions.
COLD = WARM + 6


def test_a_fixed_number_of_queries_whatever_the_size(
    client, evaluation, series, coordinator, referent, operator, django_assert_num_queries
):
    login(client, coordinator)
    with django_assert_num_queries(COLD):
        page(client, evaluation)
    with django_assert_num_queries(WARM):
        page(client, evaluation)
    for _i in range(6):
        op = OperatorFactory(territory=operator.territory)
        MembershipFactory(operator=op, role=MembershipRole.REFERENT)
        series.participations.create(operator=op, since=dt.date(2020, 9, 1))
        services.response_save(actor=referent, evaluation=evaluation, operator=op, values={}, version=0, submit=False)
    for section in evaluation.sections.all():
        services.section_comment_add(actor=referent, section=section, body="Un commentaire")
    with django_assert_num_queries(COLD):
        page(client, evaluation)
    with django_assert_num_queries(WARM):
        page(client, evaluation)


def test_a_coordinator_who_is_also_a_referent_runs_as_many(
    client, evaluation, coordinator, operator, django_assert_num_queries
):
    """Whether the person is referent of an operator or not changes nothing to the count."""
    login(client, coordinator)
    page(client, evaluation)
    with django_assert_num_queries(WARM):
        page(client, evaluation)
    MembershipFactory(operator=operator, user=coordinator, role=MembershipRole.REFERENT)
    with django_assert_num_queries(COLD):
        page(client, evaluation)  # another key: they may approve for Canopée
    with django_assert_num_queries(WARM):
        page(client, evaluation)
