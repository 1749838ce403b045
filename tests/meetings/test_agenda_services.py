"""The agenda template ("conduite de réunion") and each session's agenda: services and selectors."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from meetings.models import AgendaItem, AgendaTemplate, InfoRoundEntry, Series, Session
from meetings.selectors.agenda import (
    agenda_template_changes,
    agenda_template_current,
    agenda_template_history,
    agenda_template_with_content,
    session_agenda,
    session_agenda_summary,
)
from meetings.services import agenda as services
from meetings.services.series import series_create
from meetings.services.sessions import series_set_recurrence, session_add, sessions_generate

from ..factories import SessionFactory

pytestmark = pytest.mark.django_db

V1_TITLES = [
    "Ouverture et tour des présences",
    "Tour de table des opérateurs",
    "Suivi des actions",
    "Besoins de coopération",
    "Divers",
    "Clôture",
]
V1_PROMPTS = [
    "Nouvelles du service",
    "Capacité, disponibilités et délais",
    "Difficultés rencontrées",
    "Besoins de coopération (demandes aux autres opérateurs)",
    "Informations à partager",
]


def _future_session(series, days=10, **kwargs):
    session = SessionFactory(series=series, starts_at=timezone.now() + dt.timedelta(days=days), **kwargs)
    services.agenda_apply(sessions=[session], template=services.agenda_template_ensure(series=series))
    return session


def _publish(coordinator, series, note="Test", change=None):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    if change:
        change(draft)
    return services.agenda_template_publish(actor=coordinator, template=draft, change_note=note)


# --- v1 ----------------------------------------------------------------------------


def test_a_new_series_gets_a_published_v1_from_the_seed_in_french(coordinator, operator):
    series = series_create(actor=coordinator, name="Visioconférence", operators=[operator])
    template = agenda_template_current(series)
    assert template.version == 1 and template.status == AgendaTemplate.Status.PUBLISHED
    assert template.published_at is not None and template.published_by == coordinator
    items = list(template.items.all())
    assert [i.title for i in items] == V1_TITLES
    assert [i.timebox for i in items] == [5, 30, 10, 10, 3, 2]
    assert [i.kind for i in items] == ["opening", "info_round", "actions", "needs", "other_business", "closing"]
    assert items[1].presenter_role == "each_operator"
    questions = list(template.questions.all())
    assert [q.prompt for q in questions] == V1_PROMPTS
    assert [q.kind for q in questions] == ["news", "capacity", "difficulties", "needs", "to_share"]
    assert all(q.max_length == 500 and q.help_text for q in questions)


def test_ensure_gives_older_series_a_v1_once(series):
    assert not series.agenda_templates.exists()
    first = services.agenda_template_ensure(series=series)
    second = services.agenda_template_ensure(series=series)
    assert first == second and series.agenda_templates.count() == 1
    assert first.items.count() == 6 and first.questions.count() == 5


def test_generated_and_added_sessions_get_the_current_agenda(coordinator, operator):
    with time_machine.travel(dt.datetime(2020, 8, 20, 10, tzinfo=dt.UTC)):
        series = series_create(
            actor=coordinator,
            name="Pilote",
            operators=[operator],
            pilot_start=dt.date(2020, 9, 1),
            pilot_end=dt.date(2020, 9, 30),
        )
        series_set_recurrence(
            actor=coordinator, series=series, recurrence="weekly", weekday=1, start_time=dt.time(13, 30), duration=60
        )
        extra = session_add(
            actor=coordinator, series=series, date=dt.date(2020, 9, 17), start_time=dt.time(9), duration=60
        )
    template = agenda_template_current(series)
    sessions = list(series.sessions.all())
    assert len(sessions) == 6  # five Tuesdays and the extra one
    assert extra in sessions
    for session in sessions:
        assert session.agenda_template == template
        assert [i.title for i in session_agenda(session=session)] == V1_TITLES
        assert not session.agenda_customised


def test_generating_for_a_series_without_template_creates_v1(series):
    series.recurrence, series.weekday, series.start_time = "weekly", 1, dt.time(13, 30)
    series.save()
    with time_machine.travel(dt.datetime(2020, 8, 20, 10, tzinfo=dt.UTC)):
        report = sessions_generate(series=series)
    assert report.created and agenda_template_current(series).version == 1
    assert all(s.agenda_items.count() == 6 for s in report.created)


# --- versions ----------------------------------------------------------------------


def test_prepare_copies_the_current_version_into_one_draft(series, coordinator):
    current = services.agenda_template_ensure(series=series)
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    assert draft.version == 2 and draft.status == AgendaTemplate.Status.DRAFT
    assert [i.title for i in draft.items.all()] == [i.title for i in current.items.all()]
    assert [q.prompt for q in draft.questions.all()] == [q.prompt for q in current.questions.all()]
    assert services.agenda_template_prepare(actor=coordinator, series=series) == draft  # still one draft
    assert agenda_template_current(series) == current


@pytest.mark.parametrize("persona", ["member", "referent", "other_coordinator", "outsider"])
def test_only_coordinators_prepare_and_publish(request, series, coordinator, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.agenda_template_prepare(actor=user, series=series)
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    with pytest.raises(PermissionDenied):
        services.agenda_template_publish(actor=user, template=draft, change_note="x")
    with pytest.raises(PermissionDenied):
        services.template_item_add(actor=user, template=draft, title="x", kind="other", timebox=5)


def test_editing_a_draft_items_and_questions(series, coordinator):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    added = services.template_item_add(
        actor=coordinator, template=draft, title="  Situations  ", kind="clinical", timebox=20, presenter_role="host"
    )
    assert added.position == 7 and added.title == "Situations"
    first = draft.items.get(position=1)
    services.template_item_update(
        actor=coordinator, item=first, title="Accueil", kind="opening", timebox=7, presenter_role="coordinator"
    )
    assert services.template_item_move(actor=coordinator, item=added, direction="up")
    assert [i.title for i in draft.items.all()][-2:] == ["Situations", "Clôture"]
    assert not services.template_item_move(actor=coordinator, item=draft.items.get(position=1), direction="up")
    services.template_item_delete(actor=coordinator, item=draft.items.get(title="Divers"))
    assert [i.position for i in draft.items.all()] == [1, 2, 3, 4, 5, 6]
    question = services.template_question_add(
        actor=coordinator, template=draft, prompt="Ressources", max_length=300, required=True, kind="other"
    )
    assert question.position == 6
    services.template_question_move(actor=coordinator, question=question, direction="up")
    assert [q.prompt for q in draft.questions.all()][4] == "Ressources"
    services.template_question_update(
        actor=coordinator, question=question, prompt="Ressources nouvelles", max_length=2000, kind="to_share"
    )
    services.template_question_delete(actor=coordinator, question=draft.questions.get(position=1))
    assert draft.questions.count() == 5 and draft.questions.first().position == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"timebox": 0}, "timebox"),
        ({"timebox": 241}, "timebox"),
        ({"kind": "party"}, "kind"),
        ({"presenter_role": "king"}, "presenter_role"),
    ],
)
def test_bad_items_are_refused(series, coordinator, changes, field):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    data = {"title": "Point", "kind": "other", "timebox": 5, "presenter_role": ""} | changes
    with pytest.raises(ValidationError) as exc:
        services.template_item_add(actor=coordinator, template=draft, **data)
    assert field in exc.value.error_dict
    assert draft.items.count() == 6


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"prompt": " "}, "prompt"), ({"max_length": 49}, "max_length"), ({"max_length": 2001}, "max_length")],
)
def test_bad_questions_are_refused(series, coordinator, changes, field):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    with pytest.raises(ValidationError) as exc:
        services.template_question_add(actor=coordinator, template=draft, **({"prompt": "Q"} | changes))
    assert field in exc.value.error_dict


def test_the_last_item_and_question_stay(series, coordinator):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    for item in list(draft.items.all())[1:]:
        services.template_item_delete(actor=coordinator, item=item)
    with pytest.raises(ValidationError):
        services.template_item_delete(actor=coordinator, item=draft.items.get())
    for question in list(draft.questions.all())[1:]:
        services.template_question_delete(actor=coordinator, question=question)
    with pytest.raises(ValidationError):
        services.template_question_delete(actor=coordinator, question=draft.questions.get())


def test_published_versions_cannot_be_edited(series, coordinator):
    v1 = services.agenda_template_ensure(series=series)
    with pytest.raises(ValidationError):
        services.template_item_add(actor=coordinator, template=v1, title="x", kind="other", timebox=5)
    with pytest.raises(ValidationError):
        services.template_item_update(actor=coordinator, item=v1.items.first(), title="x", kind="other", timebox=5)
    with pytest.raises(ValidationError):
        services.agenda_template_discard(actor=coordinator, template=v1)


def test_publishing_needs_a_note(series, coordinator):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    with pytest.raises(ValidationError) as exc:
        services.agenda_template_publish(actor=coordinator, template=draft, change_note="   ")
    assert "change_note" in exc.value.error_dict
    draft.refresh_from_db()
    assert draft.status == AgendaTemplate.Status.DRAFT


def test_publishing_applies_to_the_sessions_to_come_only(series, coordinator, operator, member):
    v1 = services.agenda_template_ensure(series=series)
    past = _future_session(series, days=-7)
    past.status = Session.Status.HELD
    past.save()
    cancelled = _future_session(series, days=3, status=Session.Status.CANCELLED)
    to_come = [_future_session(series, days=d) for d in (7, 14)]
    customised = _future_session(series, days=21)
    services.agenda_item_add(actor=coordinator, session=customised, title="Spécial", kind="other", timebox=15)
    answered = _future_session(series, days=2)
    InfoRoundEntry.objects.create(session=answered, operator=operator, updated_by=member)

    def change(draft):
        services.template_item_add(actor=coordinator, template=draft, title="Situations", kind="clinical", timebox=20)

    report = _publish(coordinator, series, "On ajoute les situations cliniques.", change)
    v2 = report.template
    assert v2.status == AgendaTemplate.Status.PUBLISHED and v2.version == 2
    assert agenda_template_current(series) == v2
    assert sorted(s.pk for s in report.updated) == sorted(s.pk for s in to_come)
    assert {s.pk for s in report.kept} == {customised.pk, answered.pk}
    for session in to_come:
        session.refresh_from_db()
        assert session.agenda_template == v2
        assert [i.title for i in session_agenda(session=session)][-1] == "Situations"
    for session in (past, cancelled, customised, answered):
        session.refresh_from_db()
        assert session.agenda_template == v1
        assert "Situations" not in [i.title for i in session_agenda(session=session)]
    assert customised.agenda_items.filter(title="Spécial").exists()


def test_discarding_a_draft(series, coordinator):
    draft = services.agenda_template_prepare(actor=coordinator, series=series)
    services.agenda_template_discard(actor=coordinator, template=draft)
    assert list(series.agenda_templates.values_list("version", "status")) == [(1, "published")]
    assert services.agenda_template_prepare(actor=coordinator, series=series).version == 2


# --- what changed ------------------------------------------------------------------


def test_changes_between_versions_are_computed(series, coordinator):
    def change(draft):
        items = {i.title: i for i in draft.items.all()}
        services.template_item_update(
            actor=coordinator, item=items["Divers"], title="Divers", kind="other_business", timebox=8
        )
        services.template_item_update(
            actor=coordinator, item=items["Clôture"], title="Clôture et météo", kind="closing", timebox=2
        )
        services.template_item_delete(actor=coordinator, item=items["Besoins de coopération"])
        services.template_item_add(actor=coordinator, template=draft, title="Situations", kind="clinical", timebox=20)
        questions = {q.prompt: q for q in draft.questions.all()}
        q = questions["Difficultés rencontrées"]
        services.template_question_update(
            actor=coordinator, question=q, prompt=q.prompt, help_text=q.help_text, kind=q.kind, max_length=300
        )
        services.template_question_delete(actor=coordinator, question=questions["Informations à partager"])
        services.template_question_add(actor=coordinator, template=draft, prompt="Formations", kind="other")

    _publish(coordinator, series, "Deuxième version", change)
    history = agenda_template_history(series=series)
    assert [v.template.version for v in history] == [2, 1]
    changes = history[0].changes
    assert [i.title for i in changes.items_added] == ["Situations"]
    assert [i.title for i in changes.items_removed] == ["Besoins de coopération"]
    by_title = {c.after.title: c.fields for c in changes.items_changed}
    assert by_title["Divers"] == ["timebox", "position"]
    assert "title" in by_title["Clôture et météo"]  # renamed: a change, not a removal
    assert [q.prompt for q in changes.questions_added] == ["Formations"]
    assert [q.prompt for q in changes.questions_removed] == ["Informations à partager"]
    assert [(c.after.prompt, c.fields) for c in changes.questions_changed] == [
        ("Difficultés rencontrées", ["max_length"])
    ]
    assert history[0].total_minutes == 5 + 30 + 10 + 8 + 2 + 20
    unchanged = agenda_template_changes(
        agenda_template_with_content(history[0].template.pk), agenda_template_with_content(history[0].template.pk)
    )
    assert not unchanged


@pytest.mark.parametrize("versions", [1, 5])
def test_history_query_count_is_fixed(series, coordinator, versions, django_assert_num_queries):
    services.agenda_template_ensure(series=series)
    for n in range(versions - 1):
        _publish(coordinator, series, f"v{n + 2}")
    with django_assert_num_queries(3):  # templates (with their publisher), items, questions
        history = agenda_template_history(series=series)
    assert len(history) == versions


# --- one session's agenda ------------------------------------------------------------


def test_a_session_agenda_can_be_changed_by_hand(series, coordinator, operator):
    session = _future_session(series)
    item = services.agenda_item_add(
        actor=coordinator, session=session, title="Invité", kind="other", timebox=15, presenter_operator=operator
    )
    session.refresh_from_db()
    assert session.agenda_customised and item.position == 7
    services.agenda_item_move(actor=coordinator, item=item, direction="up")
    services.agenda_item_update(
        actor=coordinator, item=item, title="Invité : SSM", kind="other", timebox=20, presenter_operator=None
    )
    services.agenda_item_remove(actor=coordinator, item=session.agenda_items.get(title="Divers"))
    titles = [i.title for i in session_agenda(session=session)]
    assert titles == V1_TITLES[:4] + ["Invité : SSM", "Clôture"]
    summary = session_agenda_summary(session=session)
    assert summary.total_minutes == 5 + 30 + 10 + 10 + 20 + 2 and summary.session_minutes == 60
    assert summary.overrun == 17


def test_an_item_with_notes_is_kept(series, coordinator):
    session = _future_session(series)
    item = session.agenda_items.first()
    AgendaItem.objects.filter(pk=item.pk).update(notes="Relevé")
    with pytest.raises(ValidationError):
        services.agenda_item_remove(actor=coordinator, item=item)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_presenter_must_take_part(series, coordinator, other_operator):
    session = _future_session(series)
    with pytest.raises(ValidationError) as exc:
        services.agenda_item_add(
            actor=coordinator, session=session, title="x", kind="other", timebox=5, presenter_operator=other_operator
        )
    assert "presenter_operator" in exc.value.error_dict


def test_a_cancelled_session_agenda_is_frozen(series, coordinator):
    session = _future_session(series, status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=coordinator, session=session, title="x", kind="other", timebox=5)


def test_members_cannot_change_a_session_agenda(series, member):
    session = _future_session(series)
    with pytest.raises(PermissionDenied):
        services.agenda_item_add(actor=member, session=session, title="x", kind="other", timebox=5)


def test_series_without_sessions_publish_nothing(coordinator):
    series = Series.objects.create(name="Vide")
    series.coordinators.add(coordinator)
    report = _publish(coordinator, series)
    assert report.updated == [] and report.kept == []
