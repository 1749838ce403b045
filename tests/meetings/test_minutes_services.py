"""The live session and the minutes: services and selectors against the database."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from core.models import AuditEvent
from meetings.models import AgendaItem, Attendance, Minutes, MinutesRevision, Session
from meetings.selectors.live import attendance_grid, session_can_end
from meetings.selectors.minutes import minutes_content, revisions_compare
from meetings.services import actions as action_services
from meetings.services import minutes as services

from ..factories import SessionFactory
from ..factories.minutes import agenda, held_session, published_session, session_under_way


@pytest.fixture(autouse=True)
def _english_wording():
    with translation.override("en"):
        yield


@pytest.fixture
def live(series):
    return session_under_way(series)


def items_of(session):
    return list(session.agenda_items.order_by("position"))


# Moving through the agenda -----------------------------------------------------------------------


def test_starting_an_item_makes_it_current_and_ends_the_previous_one(live, coordinator):
    first, second, _third = items_of(live)
    services.agenda_item_start(actor=coordinator, item=first)
    services.agenda_item_start(actor=coordinator, item=second)
    live.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert live.current_item == second
    assert first.ended_at is not None and second.started_at is not None and second.ended_at is None


def test_starting_the_current_item_again_keeps_its_timer(live, coordinator):
    first = items_of(live)[0]
    started = services.agenda_item_start(actor=coordinator, item=first).started_at
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        again = services.agenda_item_start(actor=coordinator, item=first)
    assert again.started_at == started


def test_next_item_moves_once_even_when_two_coordinators_click(live, coordinator, admin_user):
    first, second, third = items_of(live)
    assert services.agenda_next_item(actor=coordinator, session=live, seen_current=None) == first
    assert services.agenda_next_item(actor=coordinator, session=live, seen_current=first.pk) == second
    # The other coordinator still saw the first item as current: nothing moves again.
    assert services.agenda_next_item(actor=admin_user, session=live, seen_current=first.pk) == second
    assert services.agenda_next_item(actor=coordinator, session=live, seen_current=second.pk) == third
    assert services.agenda_next_item(actor=coordinator, session=live, seen_current=third.pk) is None
    live.refresh_from_db()
    third.refresh_from_db()
    assert live.current_item is None and third.ended_at is not None


def test_the_agenda_cannot_run_a_week_before_the_meeting(session, coordinator):
    item = agenda(session, 1)[0]
    with pytest.raises(ValidationError, match="not started yet"):
        services.agenda_item_start(actor=coordinator, item=item)


@pytest.mark.parametrize("persona", ["member", "referent", "other_coordinator", "outsider"])
def test_only_coordinators_run_the_agenda(live, persona, request):
    with pytest.raises(PermissionDenied):
        services.agenda_item_start(actor=request.getfixturevalue(persona), item=items_of(live)[0])


# Notes -------------------------------------------------------------------------------------------


def test_notes_are_saved_with_a_new_version(live, coordinator):
    item = items_of(live)[0]
    saved = services.agenda_item_notes_save(actor=coordinator, item=item, notes="Tour rapide.", version=0)
    assert (saved.notes, saved.notes_version, saved.notes_updated_by) == ("Tour rapide.", 1, coordinator)


def test_a_stale_notes_save_never_overwrites(live, coordinator, admin_user):
    item = items_of(live)[0]
    services.agenda_item_notes_save(actor=coordinator, item=item, notes="Texte de Claire", version=0)
    with pytest.raises(services.NotesConflict) as conflict:
        services.agenda_item_notes_save(actor=admin_user, item=item, notes="Texte d'Alex", version=0)
    assert conflict.value.current.notes == "Texte de Claire"
    item.refresh_from_db()
    assert (item.notes, item.notes_version) == ("Texte de Claire", 1)
    # Saying what is already saved is no conflict.
    same = services.agenda_item_notes_save(actor=admin_user, item=item, notes="Texte de Claire", version=0)
    assert same.notes_version == 1


def test_notes_over_the_limit_are_refused(live, coordinator):
    with pytest.raises(ValidationError):
        services.agenda_item_notes_save(actor=coordinator, item=items_of(live)[0], notes="x" * 100_000, version=0)
    assert AgendaItem.objects.filter(notes="").count() == 3


def test_notes_after_the_meeting_are_a_new_version_of_draft_minutes(series, coordinator):
    session, minutes = held_session(series, coordinator)
    item = items_of(session)[0]
    services.agenda_item_notes_save(actor=coordinator, item=item, notes="Complété après la réunion.", version=0)
    latest = minutes.revisions.order_by("-number").first()
    assert latest.number == 2 and latest.content["items"][0]["notes"] == "Complété après la réunion."
    services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=minutes.version)
    with pytest.raises(ValidationError, match="no longer a draft"):
        services.agenda_item_notes_save(actor=coordinator, item=item, notes="Trop tard.", version=1)


# Attendance --------------------------------------------------------------------------------------


def test_attendance_per_operator_and_per_person(live, coordinator, operator, member, referent):
    services.attendance_record(actor=coordinator, session=live, operator=operator, status="present")
    services.attendance_record(actor=coordinator, session=live, operator=operator, user=member, status="excused")
    services.attendance_record(actor=coordinator, session=live, operator=operator, user=member, status="present")
    grid = attendance_grid(live)
    assert [(row.operator.name, row.status) for row in grid] == [("Canopée", "present")]
    assert {(p.user.name, p.status) for p in grid[0].people} == {
        ("Olivier Marchal", "present"),
        ("Isabelle Henrard", ""),
    }
    services.attendance_record(actor=coordinator, session=live, operator=operator, user=member, status="")
    assert Attendance.objects.filter(session=live).count() == 1


def test_attendance_refuses_other_operators_and_strangers(live, coordinator, operator, other_operator, other_member):
    with pytest.raises(ValidationError):
        services.attendance_record(actor=coordinator, session=live, operator=other_operator, status="present")
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=coordinator, session=live, operator=operator, user=other_member, status="absent"
        )
    with pytest.raises(ValidationError):
        services.attendance_record(actor=coordinator, session=live, operator=operator, status="maybe")
    assert not Attendance.objects.exists()


# Ending the meeting ------------------------------------------------------------------------------


def test_a_planned_session_in_the_future_cannot_be_ended(session, coordinator):
    assert not session_can_end(session)
    with pytest.raises(ValidationError, match="not started"):
        services.session_end(actor=coordinator, session=session)
    session.refresh_from_db()
    assert session.status == Session.Status.PLANNED and not Minutes.objects.exists()


def test_ending_the_meeting_drafts_the_minutes_from_what_was_recorded(live, coordinator, operator, member):
    first, second, _ = items_of(live)
    services.agenda_item_start(actor=coordinator, item=first)
    services.agenda_item_notes_save(actor=coordinator, item=second, notes="Canopée : deux lits libres.", version=0)
    services.attendance_record(actor=coordinator, session=live, operator=operator, status="present")
    services.attendance_record(actor=coordinator, session=live, operator=operator, user=member, status="present")
    decision = action_services.decision_record(actor=coordinator, session=live, text="Tester la ligne commune.")
    action = action_services.action_record(
        actor=coordinator, session=live, description="Envoyer le bilan", owner_operator=operator, owner_user=member
    )
    minutes = services.session_end(actor=coordinator, session=live)
    live.refresh_from_db()
    first.refresh_from_db()
    assert live.status == Session.Status.HELD and live.current_item is None and first.ended_at is not None
    assert minutes.status == Minutes.Status.DRAFT
    revision = minutes.revisions.get()
    assert revision.number == 1 and revision.author == coordinator
    content = revision.content
    assert [i["notes"] for i in content["items"]] == ["", "Canopée : deux lits libres.", ""]
    assert content["attendance"] == [
        {
            "operator_id": operator.pk,
            "operator": "Canopée",
            "status": "present",
            "people": [{"user_id": member.pk, "name": "Olivier Marchal", "status": "present"}],
        }
    ]
    assert content["decisions"] == [
        {"id": str(decision.public_id), "text": "Tester la ligne commune.", "item_id": None}
    ]
    assert content["actions"][0]["id"] == str(action.public_id)
    assert content["actions"][0]["owner"] == "Olivier Marchal"
    assert "email" not in str(content) and "@" not in str(content)
    assert AuditEvent.objects.filter(action="session.end").exists()
    with pytest.raises(ValidationError, match="already ended"):
        services.session_end(actor=coordinator, session=live)


def test_a_session_whose_first_item_started_early_can_be_ended(series, coordinator):
    start = timezone.now() + datetime.timedelta(minutes=10)
    session = SessionFactory(series=series, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    item = agenda(session, 1)[0]
    services.agenda_item_start(actor=coordinator, item=item)
    session.refresh_from_db()
    assert services.session_end(actor=coordinator, session=session).status == "draft"


# Editing the minutes -----------------------------------------------------------------------------


def _save(actor, minutes, base, *, summary=None, notes=None):
    """Save like a form loaded at `base` ({"version", "revision", "items": {pk: (text, version)}})."""
    texts = dict(base["items"])
    texts.update({pk: (text, base["items"][pk][1]) for pk, text in (notes or {}).items()})
    return services.minutes_save(
        actor=actor,
        minutes=minutes,
        summary=base["summary"] if summary is None else summary,
        version=base["version"],
        notes=texts,
        revision=base["revision"],
    )


def _loaded(minutes):
    minutes.refresh_from_db()
    items = minutes.session.agenda_items.order_by("position")
    return {
        "summary": minutes.summary,
        "version": minutes.version,
        "revision": minutes.revisions.order_by("-number").first().number,
        "items": {i.pk: (i.notes, i.notes_version) for i in items},
    }


def test_saving_the_minutes_keeps_a_new_version(series, coordinator):
    session, minutes = held_session(series, coordinator)
    first = items_of(session)[0]
    _save(coordinator, minutes, _loaded(minutes), summary="Bonne réunion.", notes={first.pk: "Accueil de Pléiade."})
    minutes.refresh_from_db()
    first.refresh_from_db()
    assert (minutes.summary, minutes.version, first.notes, first.notes_version) == (
        "Bonne réunion.",
        2,
        "Accueil de Pléiade.",
        1,
    )
    revision = minutes.revisions.order_by("-number").first()
    assert revision.number == 2 and revision.content["summary"] == "Bonne réunion."


def test_two_saves_of_the_same_text_end_in_a_conflict_with_both_texts(series, coordinator, admin_user):
    session, minutes = held_session(series, coordinator)
    first = items_of(session)[0]
    base = _loaded(minutes)
    _save(coordinator, minutes, base, summary="Résumé de Claire", notes={first.pk: "Notes de Claire"})
    with pytest.raises(services.MinutesConflict) as caught:
        _save(admin_user, minutes, base, summary="Résumé d'Alex", notes={first.pk: "Notes d'Alex"})
    conflicts = {c.key: (c.saved, c.yours) for c in caught.value.conflicts}
    assert conflicts == {
        "summary": ("Résumé de Claire", "Résumé d'Alex"),
        str(first.pk): ("Notes de Claire", "Notes d'Alex"),
    }
    minutes.refresh_from_db()
    first.refresh_from_db()
    assert (minutes.summary, first.notes) == ("Résumé de Claire", "Notes de Claire")
    assert minutes.revisions.count() == 2


def test_edits_of_different_fields_both_survive(series, coordinator, admin_user):
    session, minutes = held_session(series, coordinator)
    first, second, _ = items_of(session)
    base = _loaded(minutes)
    _save(coordinator, minutes, base, notes={first.pk: "Claire sur le point 1"})
    _save(admin_user, minutes, base, summary="Alex", notes={second.pk: "Alex sur le point 2"})
    first.refresh_from_db()
    second.refresh_from_db()
    minutes.refresh_from_db()
    assert (first.notes, second.notes, minutes.summary) == ("Claire sur le point 1", "Alex sur le point 2", "Alex")


def test_only_draft_minutes_can_be_edited(series, coordinator):
    session, minutes = published_session(series, coordinator)
    with pytest.raises(ValidationError, match="Only draft"):
        _save(coordinator, minutes, _loaded(minutes), summary="Correction")


def test_notes_of_another_session_are_refused(series, coordinator):
    session, minutes = held_session(series, coordinator)
    stranger = agenda(SessionFactory(series=series), 1)[0]
    with pytest.raises(ValidationError):
        services.minutes_save(
            actor=coordinator, minutes=minutes, summary="", version=minutes.version, notes={stranger.pk: ("x", 0)}
        )


# The state machine -------------------------------------------------------------------------------


def test_minutes_go_from_draft_to_approved_to_published(series, coordinator):
    session, minutes = held_session(series, coordinator)
    minutes = services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=1)
    assert (minutes.status, minutes.approved_by) == ("approved", coordinator)
    minutes = services.minutes_transition(actor=coordinator, minutes=minutes, to="draft", version=2)
    assert (minutes.status, minutes.approved_by) == ("draft", None)
    minutes = services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=3)
    minutes = services.minutes_transition(actor=coordinator, minutes=minutes, to="published", version=4)
    assert minutes.status == "published" and minutes.published_by == coordinator and minutes.published_at
    assert list(minutes.revisions.order_by("number").values_list("status", flat=True)) == [
        "draft",
        "approved",
        "draft",
        "approved",
        "published",
    ]
    assert AuditEvent.objects.filter(action="minutes.publish", object_id=str(minutes.pk)).exists()


def test_impossible_or_blind_moves_are_refused(series, coordinator, member):
    session, minutes = held_session(series, coordinator)
    with pytest.raises(ValidationError, match="cannot go"):
        services.minutes_transition(actor=coordinator, minutes=minutes, to="published", version=1)
    with pytest.raises(ValidationError, match="changed these minutes"):
        services.minutes_transition(actor=coordinator, minutes=minutes, to="approved", version=0)
    with pytest.raises(PermissionDenied):
        services.minutes_transition(actor=member, minutes=minutes, to="approved", version=1)
    session, published = published_session(series, coordinator)
    for target in ("draft", "approved"):
        with pytest.raises(ValidationError):
            services.minutes_transition(actor=coordinator, minutes=published, to=target, version=published.version)


# Comparing versions ------------------------------------------------------------------------------


def test_comparing_two_versions_marks_added_and_removed_lines(series, coordinator):
    session, minutes = held_session(series, coordinator, notes="Ligne gardée\nLigne ôtée")
    first = items_of(session)[0]
    _save(coordinator, minutes, _loaded(minutes), notes={first.pk: "Ligne gardée\nLigne ajoutée"})
    old, new = MinutesRevision.objects.filter(minutes=minutes).order_by("number")
    labels = {"summary": "Résumé", "attendance": "Présences", "decisions": "Décisions", "actions": "Actions"}
    sections = {s.title: s for s in revisions_compare(old, new, labels)}
    assert [(line.kind, line.text) for line in sections["Ouverture"].lines] == [
        ("equal", "Ligne gardée"),
        ("delete", "Ligne ôtée"),
        ("insert", "Ligne ajoutée"),
    ]
    assert not sections["Tour de table"].changed and not sections["Résumé"].changed


def test_the_snapshot_holds_this_session_only(series, coordinator, operator):
    session, _minutes = held_session(series, coordinator)
    other = session_under_way(series)
    action_services.decision_record(actor=coordinator, session=other, text="Ailleurs")
    assert minutes_content(session)["decisions"] == []
