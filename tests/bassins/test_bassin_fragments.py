"""A bassin's page and its état des lieux served from the cache (bassins.fragments):
a write shows at once, each person gets the fragment of their rights and series,
each language its own, a session leaves the list when it starts, and the number
of queries is the same whatever the bassin holds."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bassins.models import BassinMember, StateNote, Team
from bassins.selectors.bassin import bassin_page
from bassins.services import bassin_working_groups_create, state_note_add, state_note_delete, week_open
from meetings.models import Participation, Session, Theme
from meetings.services.needs import need_close, need_raise
from operators.models import OperatorPublic, Public, Territory

from ..conftest import login
from ..factories import OperatorFactory, SeriesFactory, SessionFactory, TerritoryFactory, UserFactory

SINCE = datetime.date(2024, 1, 1)


def state(client, bassin) -> str:
    response = client.get(reverse("bassins:state", kwargs={"slug": bassin.slug}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def detail(client, bassin) -> str:
    response = client.get(reverse("bassins:detail", kwargs={"slug": bassin.slug}))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def cell(body: str, label: str) -> int:
    """The count next to `label` in a table of the état des lieux."""
    found = re.search(rf"<td>{re.escape(label)}</td><td class=\"text-end\">(\d+)</td>", body)
    assert found, label
    return int(found.group(1))


@pytest.fixture
def forest(municipality):
    """A service of Forest, in the Bassin Sud."""
    return OperatorFactory(name="SSM de Forest", territory=municipality("Forest"))


@pytest.fixture
def sud_series(sud, coordinator, forest):
    series = SeriesFactory(name="Concertation Sud", territory=sud)
    series.coordinators.add(coordinator)
    Participation.objects.create(series=series, operator=forest, since=SINCE)
    return series


@pytest.fixture
def elsewhere(coordinator, forest):
    """A series of no bassin, where the service of Forest takes part too."""
    series = SeriesFactory(name="Ailleurs")
    series.coordinators.add(coordinator)
    Participation.objects.create(series=series, operator=forest, since=SINCE)
    return series


def soon(days: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days)


def test_the_state_shows_a_write_at_once(
    client, sud, bassin_coordinator, member, coordinator, municipality, forest, sud_series, elsewhere
):
    login(client, member)
    with CaptureQueriesContext(connection) as first:
        before = state(client, sud)
    with CaptureQueriesContext(connection) as second:
        state(client, sud)
    assert len(second) < len(first)  # served from the cache
    assert "0 besoin relevé" in before and "1 service dans le bassin." in before

    # A need raised by a service of the bassin in a series of no bassin counts.
    need = need_raise(actor=coordinator, series=elsewhere, operator=forest, title="Orientation", themes=["Logement"])
    after = state(client, sud)
    assert "1 besoin relevé" in after and cell(after, "Émergent") == 1 and cell(after, "Logement") == 1
    # A stage moves through an UPDATE: its NeedStageChange drops the needs' scope.
    need_close(actor=coordinator, need=need, stage="closed")
    after = state(client, sud)
    assert cell(after, "Émergent") == 0 and cell(after, "Clôturé") == 1
    theme = Theme.objects.get(name="Logement")  # a theme's name is the directory's
    theme.name = "Habitat"
    theme.save()
    assert cell(state(client, sud), "Habitat") == 1

    # A new service of the bassin, a public it serves.
    other = OperatorFactory(name="Service d'Ixelles", territory=municipality("Ixelles"))
    OperatorPublic.objects.create(operator=other, public=Public.CHILDREN)
    after = state(client, sud)
    assert "2 services dans le bassin." in after and cell(after, "Enfants") == 1

    # The team's notes.
    note = state_note_add(
        actor=bassin_coordinator,
        bassin=sud,
        title="Population",
        body="Environ 330 000 habitants.",
        as_of=datetime.date(2024, 1, 1),
        source="Statbel 2024",
    )
    assert "Environ 330 000 habitants." in state(client, sud)
    state_note_delete(actor=bassin_coordinator, note=note)
    assert "Environ 330 000 habitants." not in state(client, sud)

    # Bruxelles stops being shared with the bassin: an m2m write, no save of the territory.
    bruxelles = municipality("Bruxelles")
    assert "Bruxelles (en partie)" in state(client, sud)
    bruxelles.split_between.remove(sud)
    assert "Bruxelles (en partie)" not in state(client, sud)
    sud.split_municipalities.add(bruxelles)  # and back, from the bassin's side
    assert "Bruxelles (en partie)" in state(client, sud)


def test_the_bassin_page_shows_a_write_at_once(
    client, sud, bassin_coordinator, member, operator, municipality, sud_series
):
    Participation.objects.create(series=sud_series, operator=operator, since=SINCE)
    login(client, member)
    with CaptureQueriesContext(connection) as first:
        before = detail(client, sud)
    with CaptureQueriesContext(connection) as second:
        detail(client, sud)
    assert len(second) < len(first)
    assert "Gaëlle Thiry" in before and "Aucune séance à venir" in before

    helper = UserFactory(name="Youssef Amrani")
    BassinMember.objects.create(bassin=sud, user=helper, team=Team.SUPPORT, role="Brusano")
    assert "Youssef Amrani" in detail(client, sud)
    helper.name = "Youssef Amrani-Lambert"
    helper.save()
    assert "Youssef Amrani-Lambert" in detail(client, sud)

    week_open(
        actor=bassin_coordinator, bassin=sud, starts_on=datetime.date(2031, 3, 3), ends_on=datetime.date(2031, 3, 7)
    )
    assert "Semaine portes ouvertes du 3 mars au 7 mars 2031" in detail(client, sud)

    # A session planned in a series of the bassin; then cancelled.
    session = SessionFactory(series=sud_series, starts_at=soon(3), ends_at=soon(3) + datetime.timedelta(hours=1))
    link = reverse("meetings:session_detail", kwargs={"session_id": session.public_id})
    assert link in detail(client, sud)
    session.status = Session.Status.CANCELLED
    session.save()
    assert link not in detail(client, sud)

    # A series newly attached to the bassin, and its session.
    attached = SeriesFactory(name="Intervision Sud", territory=sud)
    Participation.objects.create(series=attached, operator=operator, since=SINCE)
    later = SessionFactory(series=attached, starts_at=soon(5), ends_at=soon(5) + datetime.timedelta(hours=1))
    after = detail(client, sud)
    assert reverse("meetings:session_detail", kwargs={"session_id": later.public_id}) in after
    assert "Intervision Sud" in after

    # The working groups; a series renamed.
    bassin_working_groups_create(actor=bassin_coordinator, bassin=sud)
    after = detail(client, sud)
    assert all(group.series.name in after for group in sud.working_groups.select_related("series"))
    attached.name = "Intervision du Sud"
    attached.save()
    assert "Intervision du Sud" in detail(client, sud)

    # The municipalities.
    municipality("Bruxelles").split_between.remove(sud)
    assert ">Bruxelles</a>" not in detail(client, sud)


def test_a_session_leaves_the_list_when_it_starts(sud, member, operator, sud_series):
    Participation.objects.create(series=sud_series, operator=operator, since=SINCE)
    now = timezone.now()
    first = SessionFactory(series=sud_series, starts_at=now + datetime.timedelta(hours=2))
    second = SessionFactory(series=sud_series, starts_at=now + datetime.timedelta(days=2))
    page = bassin_page(member, sud, now=now)
    assert [s.public_id for s in page.upcoming] == [first.public_id, second.public_id]
    # The fragment is kept until the first session starts, not a second longer.
    assert page.timeout == 2 * 3600
    later = now + datetime.timedelta(hours=3)
    with CaptureQueriesContext(connection) as read:
        page = bassin_page(member, sud, now=later)
    assert [s.public_id for s in page.upcoming] == [second.public_id]
    assert not any("meetings_session" in q["sql"] for q in read.captured_queries)  # the sessions, from the cache
    assert page.timeout == round((second.starts_at - later).total_seconds())


def test_each_person_gets_the_fragment_of_their_rights_and_series(
    client, sud, bassin_coordinator, member, outsider, operator
):
    team_link = reverse("bassins:municipalities", kwargs={"slug": sud.slug})
    create = 'form="working-groups-form"'
    coordinators = detail(login(client, bassin_coordinator), sud)
    assert team_link in coordinators and create in coordinators
    client.logout()
    members = detail(login(client, member), sud)
    assert team_link not in members and create not in members and "working-groups-form" not in members

    bassin_working_groups_create(actor=bassin_coordinator, bassin=sud)
    mental = sud.working_groups.get(theme="mental_health").series
    Participation.objects.create(series=mental, operator=operator, since=SINCE)
    mental_link = reverse("meetings:series_detail", kwargs={"series_id": mental.public_id})
    assert mental_link in detail(client, sud)
    client.logout()
    outsiders = detail(login(client, outsider), sud)
    assert mental.name in outsiders and mental_link not in outsiders
    client.logout()
    assert mental_link in detail(login(client, member), sud)

    StateNote.objects.create(bassin=sud, title="Diagnostic", body="Texte", as_of=SINCE, source="ADC")
    remove = reverse("bassins:note_delete", kwargs={"slug": sud.slug, "pk": sud.state_notes.get().pk})
    client.logout()
    assert remove in state(login(client, bassin_coordinator), sud)
    client.logout()
    members = state(login(client, member), sud)
    assert "Diagnostic" in members and remove not in members and "note-delete-form" not in members


def test_the_remove_button_posts_with_the_token_outside_the_fragment(client, sud, bassin_coordinator):
    note = StateNote.objects.create(bassin=sud, title="Diagnostic", body="Texte", as_of=SINCE, source="ADC")
    client.enforce_csrf_checks = True
    login(client, bassin_coordinator)
    body = state(client, sud)
    state(client, sud)  # from the cache
    form = re.search(r'<form method="post" id="note-delete-form" class="d-none">(.*?)</form>', body).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    url = reverse("bassins:note_delete", kwargs={"slug": sud.slug, "pk": note.pk})
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    assert not StateNote.objects.exists()


def test_each_language_has_its_own_fragment(client, sud, bassin_coordinator, member):
    login(client, member)
    assert "Équipe de coordination" in detail(client, sud) and "Besoins par étape" in state(client, sud)
    User.objects.filter(pk=member.pk).update(language="en")
    english = detail(client, sud)
    assert "Coordination team" in english and "Équipe de coordination" not in english
    english = state(client, sud)
    assert "Needs by stage" in english and "Besoins par étape" not in english


@pytest.fixture
def empty_bassin(db):
    """A bassin with nothing: no municipality, service, series, need, note or team."""
    region = TerritoryFactory(name="Province de test", slug="province-de-test")
    return TerritoryFactory(name="Bassin de test", slug="bassin-de-test", kind=Territory.Kind.BASSIN, parent=region)


def _fill(sud, bassin_coordinator, operator, municipality, count):
    """`count` services, sessions, notes, members and weeks in the Bassin Sud."""
    series = SeriesFactory(name="Concertation Sud", territory=sud)
    Participation.objects.create(series=series, operator=operator, since=SINCE)
    for i in range(count):
        service = OperatorFactory(name=f"Service {i}", territory=municipality("Ixelles"))
        OperatorPublic.objects.create(operator=service, public=Public.ADULTS)
        SessionFactory(series=series, starts_at=soon(i + 1), ends_at=soon(i + 1) + datetime.timedelta(hours=1))
        StateNote.objects.create(bassin=sud, title=f"Note {i}", body="Texte", as_of=SINCE, source="ADC")
        BassinMember.objects.create(bassin=sud, user=UserFactory(), team=Team.SUPPORT)
        week_open(
            actor=bassin_coordinator,
            bassin=sud,
            starts_on=datetime.date(2031, 1, 1) + datetime.timedelta(days=7 * i),
            ends_on=datetime.date(2031, 1, 1) + datetime.timedelta(days=7 * i + 4),
        )


# The session, the user, the savepoint pair, the bassin, its series, the person's series (those they
# coordinate, their operators, their participations, their registrations), the team (rights), and the
# base page's: coordinator group.
BASSIN_WARM = 10
# Not in the cache: municipalities, teams, working groups, weeks, sessions to come.
BASSIN_COLD = BASSIN_WARM + 7  # and the person's participations, read once then kept
# The session, the user, the savepoint pair, the bassin, the team (rights), its series, the help
# desk's figures; the base page's: coordinator group, memberships.
STATE_WARM = 10
# Not in the cache: services, publics, served, needs by stage, municipalities, needs by theme, notes.
STATE_COLD = STATE_WARM + 7


@pytest.mark.parametrize("count", [0, 1, 12])
def test_the_pages_in_a_fixed_number_of_queries(
    client, sud, empty_bassin, bassin_coordinator, member, operator, municipality, count, django_assert_num_queries
):
    bassin = empty_bassin if count == 0 else sud
    if count:
        _fill(sud, bassin_coordinator, operator, municipality, count)
    login(client, member)
    for queries in (BASSIN_COLD, BASSIN_WARM):
        with django_assert_num_queries(queries):
            detail(client, bassin)
    for queries in (STATE_COLD, STATE_WARM):
        with django_assert_num_queries(queries):
            state(client, bassin)
