import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from core.models import AuditEvent
from meetings.models import Participation, PollAnswer, PollSlot, Series, Session, SlotPoll
from meetings.selectors.polls import poll_results, polls_awaiting_answer
from meetings.services.polls import poll_answer, poll_close, poll_create
from operators.models import MembershipRole

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory, SeriesFactory, SessionFactory

BRUSSELS = ZoneInfo("Europe/Brussels")
YES, MAYBE, NO = PollAnswer.Choice.YES, PollAnswer.Choice.IF_NEED_BE, PollAnswer.Choice.NO
TUE_1330 = (1, datetime.time(13, 30), 90)
THU_0900 = (3, datetime.time(9, 0), 60)
FRI_1100 = (4, datetime.time(11, 0), 60)


@pytest.fixture(autouse=True)
def _english_wording():
    """These tests read the English source wording of messages; French is the
    catalogue's business (tests/test_i18n.py checks it is complete)."""
    with translation.override("en"):
        yield


def _in_a_week():
    return timezone.now() + datetime.timedelta(days=7)


def _take_part(series, operator):
    Participation.objects.create(series=series, operator=operator, since=datetime.date(2020, 9, 1))


@pytest.fixture
def poll(series, coordinator):
    return poll_create(
        actor=coordinator,
        series=series,
        title="Choix du créneau hebdomadaire",
        message="Merci de répondre avant vendredi.",
        deadline=_in_a_week(),
        slots=[TUE_1330, THU_0900, FRI_1100],
    )


def _slot(poll, weekday) -> PollSlot:
    return poll.slots.get(weekday=weekday)


def _create_data(**changes) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "title": "Choix du créneau",
        "message": "",
        "deadline_date": day.isoformat(),
        "deadline_time": "12:00",
        "slots-TOTAL_FORMS": "3",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "20",
        "slots-0-weekday": "1",
        "slots-0-start_time": "13:30",
        "slots-0-duration": "90",
        "slots-1-weekday": "3",
        "slots-1-start_time": "09:00",
        "slots-1-duration": "60",
        # A spare row: only the default duration is filled in.
        "slots-2-weekday": "",
        "slots-2-start_time": "",
        "slots-2-duration": "60",
    }
    data.update(changes)
    return data


# Services ------------------------------------------------------------------


def test_poll_create_saves_the_poll_and_its_slots(series, coordinator):
    deadline = datetime.datetime(2030, 3, 28, 17, 0, tzinfo=BRUSSELS)
    poll = poll_create(
        actor=coordinator,
        series=series,
        title="  Créneau  ",
        message="",
        deadline=deadline,
        slots=[TUE_1330, THU_0900],
    )
    assert poll.status == SlotPoll.Status.OPEN and poll.title == "Créneau" and poll.deadline == deadline
    assert [(s.weekday, s.start_time, s.duration) for s in poll.slots.all()] == [TUE_1330, THU_0900]
    assert AuditEvent.objects.filter(action="poll.create", object_id=str(poll.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"slots": []}, "at least one slot"),
        ({"slots": [TUE_1330, TUE_1330]}, "twice"),
        ({"slots": [TUE_1330, (1, datetime.time(13, 30, 15), 90)]}, "twice"),
        ({"slots": [(1, datetime.time(13, 30), 0)]}, "between 5 and 720"),
        ({"slots": [(1, datetime.time(13, 30), 10_000)]}, "between 5 and 720"),
        ({"slots": [(7, datetime.time(13, 30), 60)]}, "day of the week"),
        ({"slots": [(1, "25:00", 60)]}, "start time"),
        ({"slots": [(1, datetime.time(23, 30), 60)]}, "midnight"),
        ({"slots": [TUE_1330] * 21}, "20 slots at most"),
        ({"deadline": timezone.now() - datetime.timedelta(minutes=1)}, "future"),
        ({"deadline": datetime.datetime(2030, 1, 1, 12, 0)}, "date and time"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "200 characters"),
        ({"message": "x" * 2001}, "2000 characters"),
    ],
)
def test_poll_create_refuses_bad_input_and_saves_nothing(series, coordinator, changes, error):
    kwargs = {"title": "Créneau", "message": "", "deadline": _in_a_week(), "slots": [TUE_1330]} | changes
    with pytest.raises(ValidationError) as exc:
        poll_create(actor=coordinator, series=series, **kwargs)
    assert error in " ".join(exc.value.messages)
    assert not SlotPoll.objects.exists() and not PollSlot.objects.exists()


def test_poll_create_is_for_the_series_coordinators(series, referent, other_coordinator):
    for person in (referent, other_coordinator):
        with pytest.raises(PermissionDenied):
            poll_create(actor=person, series=series, title="x", deadline=_in_a_week(), slots=[TUE_1330])
    assert not SlotPoll.objects.exists()


def test_one_answer_per_operator_whoever_answers(poll, operator, member, referent):
    tuesday, thursday = _slot(poll, 1), _slot(poll, 3)
    assert poll_answer(actor=member, poll=poll, operator=operator, answers={tuesday.pk: YES, thursday.pk: NO}) == 2
    assert poll_answer(actor=referent, poll=poll, operator=operator, answers={tuesday.pk: YES, thursday.pk: MAYBE}) == 1
    answers = {a.slot_id: a for a in PollAnswer.objects.filter(operator=operator)}
    assert {k: a.choice for k, a in answers.items()} == {tuesday.pk: YES, thursday.pk: MAYBE}
    # Who answered is who last changed that answer.
    assert answers[tuesday.pk].answered_by == member and answers[thursday.pk].answered_by == referent


def test_a_substitute_answers_too(poll, operator):
    substitute = MembershipFactory(operator=operator, role=MembershipRole.SUBSTITUTE).user
    assert poll_answer(actor=substitute, poll=poll, operator=operator, answers={_slot(poll, 1).pk: NO}) == 1


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("operator of someone else", "operator you belong to"),
        ("operator not taking part", "operator you belong to"),
        ("slot of another poll", "not part of this poll"),
        ("unknown choice", "yes, if need be or no"),
        ("nothing", "at least one slot"),
        ("closed poll", "closed"),
    ],
)
def test_poll_answer_refuses_and_saves_nothing(
    case, error, poll, series, coordinator, operator, other_operator, member, other_member
):
    actor, answering_for, answers = member, operator, {_slot(poll, 1).pk: YES, _slot(poll, 3).pk: YES}
    if case == "operator of someone else":
        _take_part(series, other_operator)
        answering_for = other_operator
    elif case == "operator not taking part":
        actor, answering_for = other_member, other_operator
    elif case == "slot of another poll":
        other = poll_create(actor=coordinator, series=series, title="Autre", deadline=_in_a_week(), slots=[TUE_1330])
        answers[other.slots.get().pk] = YES
    elif case == "unknown choice":
        answers[_slot(poll, 4).pk] = "perhaps"
    elif case == "nothing":
        answers = {}
    elif case == "closed poll":
        SlotPoll.objects.filter(pk=poll.pk).update(status=SlotPoll.Status.CLOSED)
    with pytest.raises(ValidationError) as exc:
        poll_answer(actor=actor, poll=poll, operator=answering_for, answers=answers)
    assert error in " ".join(exc.value.messages)
    assert not PollAnswer.objects.exists()


def test_poll_close_sets_the_recurrence_and_generates_the_sessions(poll, series, coordinator):
    tuesday = _slot(poll, 1)
    report = poll_close(actor=coordinator, poll=poll, slot=tuesday)
    poll.refresh_from_db()
    series.refresh_from_db()
    assert poll.status == SlotPoll.Status.CLOSED and poll.chosen_slot == tuesday and poll.closed_by == coordinator
    assert (series.recurrence, series.weekday, series.start_time, series.default_duration) == (
        Series.Recurrence.WEEKLY,
        1,
        datetime.time(13, 30),
        90,
    )
    sessions = list(series.sessions.all())
    assert len(report.created) == len(sessions) == 13  # the Tuesdays from September to November 2020
    first = timezone.localtime(sessions[0].starts_at, BRUSSELS)
    assert (first.date(), first.time(), sessions[0].ends_at - sessions[0].starts_at) == (
        datetime.date(2020, 9, 1),
        datetime.time(13, 30),
        datetime.timedelta(minutes=90),
    )
    with pytest.raises(ValidationError, match="already closed"):
        poll_close(actor=coordinator, poll=poll, slot=_slot(poll, 3))


def test_poll_close_saves_nothing_when_no_session_can_be_generated(poll, series, coordinator):
    # The pilot is over and has a past session: a new recurrence has no date left.
    SessionFactory(series=series, starts_at=datetime.datetime(2020, 9, 3, 7, 0, tzinfo=datetime.UTC))
    with pytest.raises(ValidationError, match="already past"):
        poll_close(actor=coordinator, poll=poll, slot=_slot(poll, 1))
    poll.refresh_from_db()
    series.refresh_from_db()
    assert poll.status == SlotPoll.Status.OPEN and poll.chosen_slot is None
    assert series.recurrence == Series.Recurrence.NONE and series.sessions.count() == 1


def test_poll_close_refuses_a_slot_of_another_poll_and_non_coordinators(poll, series, coordinator, referent):
    other = poll_create(actor=coordinator, series=series, title="Autre", deadline=_in_a_week(), slots=[TUE_1330])
    with pytest.raises(ValidationError, match="this poll's slots"):
        poll_close(actor=coordinator, poll=poll, slot=other.slots.get())
    with pytest.raises(PermissionDenied):
        poll_close(actor=referent, poll=poll, slot=_slot(poll, 1))
    assert SlotPoll.objects.filter(status=SlotPoll.Status.CLOSED).count() == 0


# Selectors -----------------------------------------------------------------


def test_results_rank_the_slots_and_list_who_has_not_answered(poll, series, territory, operator, member):
    ops = {name: OperatorFactory(name=name, territory=territory) for name in ("Emism", "Pléiade", "Polaris")}
    for op in ops.values():
        _take_part(series, op)
    tue, thu, fri = _slot(poll, 1), _slot(poll, 3), _slot(poll, 4)
    votes = {
        "Emism": {tue: MAYBE, thu: YES, fri: YES},
        "Pléiade": {tue: MAYBE, thu: NO, fri: MAYBE},
        "Polaris": {tue: NO, thu: NO, fri: NO},
    }
    for name, answers in votes.items():
        user = MembershipFactory(operator=ops[name]).user
        poll_answer(actor=user, poll=poll, operator=ops[name], answers={s.pk: c for s, c in answers.items()})
    poll_answer(actor=member, poll=poll, operator=operator, answers={tue.pk: YES, thu.pk: YES, fri.pk: YES})
    # An operator that no longer takes part does not count while the poll is open.
    Participation.objects.filter(operator=ops["Polaris"]).update(until=datetime.date(2020, 10, 1))

    results = poll_results(poll=poll)

    # Friday: 3 available, 2 yes. Tuesday: 3 available, 1 yes. Thursday: 2 available.
    assert [r.slot for r in results.ranked] == [fri, tue, thu]
    by_slot = {r.slot: r for r in results.slots}
    assert [op.name for op in by_slot[thu].no] == ["Pléiade"]
    assert (len(by_slot[tue].yes), len(by_slot[tue].if_need_be), by_slot[tue].no) == (1, 2, [])
    assert [row.operator.name for row in results.operators] == ["Canopée", "Emism", "Pléiade"]
    assert results.pending == []
    canopee = results.operators[0]
    assert canopee.answered_by == member and canopee.answered_at is not None


def test_results_rank_fewest_no_first_among_equals(series, coordinator, operator, other_operator, member, other_member):
    _take_part(series, other_operator)
    poll = poll_create(actor=coordinator, series=series, title="P", deadline=_in_a_week(), slots=[TUE_1330, THU_0900])
    tue, thu = _slot(poll, 1), _slot(poll, 3)
    poll_answer(actor=member, poll=poll, operator=operator, answers={tue.pk: YES, thu.pk: YES})
    poll_answer(actor=other_member, poll=poll, operator=other_operator, answers={tue.pk: NO})
    assert [r.slot for r in poll_results(poll=poll).ranked] == [thu, tue]


def test_results_list_operators_with_unanswered_slots(poll, series, operator, other_operator, member):
    _take_part(series, other_operator)
    poll_answer(actor=member, poll=poll, operator=operator, answers={_slot(poll, 1).pk: YES})
    results = poll_results(poll=poll)
    assert [row.operator for row in results.pending] == [operator, other_operator]
    assert results.pending[0].choices and not results.pending[1].choices


def test_polls_awaiting_answer(poll, series, coordinator, operator, member, outsider, other_member):
    assert list(polls_awaiting_answer(user=member)) == [poll]
    assert list(polls_awaiting_answer(user=outsider)) == []
    assert list(polls_awaiting_answer(user=other_member)) == []  # not taking part
    poll_answer(actor=member, poll=poll, operator=operator, answers={_slot(poll, 1).pk: YES, _slot(poll, 3).pk: NO})
    assert list(polls_awaiting_answer(user=member)) == [poll]  # Friday is left
    poll_answer(actor=member, poll=poll, operator=operator, answers={_slot(poll, 4).pk: YES})
    assert list(polls_awaiting_answer(user=member)) == []
    other = poll_create(actor=coordinator, series=series, title="Autre", deadline=_in_a_week(), slots=[TUE_1330])
    assert list(polls_awaiting_answer(user=member)) == [other]
    SlotPoll.objects.filter(pk=other.pk).update(status=SlotPoll.Status.CLOSED)
    assert list(polls_awaiting_answer(user=member)) == []


def test_polls_awaiting_answer_counts_each_operator_of_the_person(poll, series, operator, other_operator, member):
    MembershipFactory(operator=other_operator, user=member)
    _take_part(series, other_operator)
    answers = {s.pk: YES for s in poll.slots.all()}
    poll_answer(actor=member, poll=poll, operator=operator, answers=answers)
    assert list(polls_awaiting_answer(user=member)) == [poll]  # Polaris has not answered
    poll_answer(actor=member, poll=poll, operator=other_operator, answers=answers)
    assert list(polls_awaiting_answer(user=member)) == []


@pytest.mark.parametrize("count", [1, 6])
def test_polls_awaiting_answer_query_count_is_fixed(member, count, django_assert_num_queries):
    for n in range(count):
        other_series = SeriesFactory()
        _take_part(other_series, member.memberships.get().operator)
        other = SlotPoll.objects.create(series=other_series, title=f"P{n}", deadline=_in_a_week())
        PollSlot.objects.create(poll=other, weekday=1, start_time=datetime.time(13, 30), duration=60)
    with django_assert_num_queries(2):  # the person's memberships, the polls with their series
        polls = list(polls_awaiting_answer(user=member))
        assert all(p.series.name for p in polls)
    assert len(polls) == count


# Views ---------------------------------------------------------------------


def test_coordinator_creates_a_poll(client, series, coordinator):
    url = reverse("meetings:poll_create", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).get(url)
    assert response.status_code == 200 and 'type="time"' in response.content.decode()
    response = client.post(url, _create_data())
    poll = SlotPoll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})
    assert [(s.weekday, s.start_time, s.duration) for s in poll.slots.all()] == [TUE_1330, THU_0900]
    local = timezone.localtime(poll.deadline, BRUSSELS)
    assert local.time() == datetime.time(12, 0) and poll.created_by == coordinator


def test_more_slot_rows_on_request(client, series, coordinator):
    url = reverse("meetings:poll_create", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).get(url, {"rows": "12"})
    assert response.context["formset"].total_form_count() == 12
    for rows in ("abc", "100000", "-3"):
        response = client.get(url, {"rows": rows})
        assert response.status_code == 200 and 1 <= response.context["formset"].total_form_count() <= 20


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        (
            {
                **{f"slots-{n}-{name}": "" for n in range(2) for name in ("weekday", "start_time")},
                **{f"slots-{n}-duration": "60" for n in range(2)},
            },
            None,
        ),
        ({"slots-0-start_time": "25:00"}, "start_time"),
        ({"slots-0-duration": "0"}, "duration"),
        ({"slots-0-duration": "10000"}, "duration"),
        ({"slots-0-weekday": "9"}, "weekday"),
        ({"slots-0-weekday": ""}, "weekday"),
        ({"slots-1-weekday": "1", "slots-1-start_time": "13:30", "slots-1-duration": "90"}, None),
        ({"slots-0-start_time": "23:30"}, "duration"),
        ({"deadline_date": "2020-01-01"}, "deadline_date"),
        ({"deadline_date": "not a date"}, "deadline_date"),
        ({"title": "x" * 100_000}, "title"),
        ({"title": "   "}, "title"),
        ({"message": "x" * 100_000}, "message"),
        ({"message": "bonjour\x00"}, "message"),
        ({"slots-TOTAL_FORMS": "100000"}, None),
        ({"slots-TOTAL_FORMS": "abc"}, None),
    ],
)
def test_poll_create_shows_errors_and_saves_nothing(client, series, coordinator, changes, field_error):
    url = reverse("meetings:poll_create", kwargs={"series_id": series.public_id})
    response = login(client, coordinator).post(url, _create_data(**changes))
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    if field_error in form.fields:
        assert form.errors[field_error]
    elif field_error:
        assert formset.forms[0].errors[field_error]
    else:
        assert formset.non_form_errors()
    assert "alert-danger" in response.content.decode()
    assert not SlotPoll.objects.exists() and not PollSlot.objects.exists()


def test_html_is_shown_as_text(client, series, coordinator, member):
    poll = poll_create(
        actor=coordinator,
        series=series,
        title="<script>alert(1)</script>",
        message="<b>gras</b>",
        deadline=_in_a_week(),
        slots=[TUE_1330],
    )
    body = login(client, member).get(reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})).content
    assert b"<script>alert" not in body and b"&lt;script&gt;" in body and b"&lt;b&gt;gras" in body


def test_detail_shows_the_answer_form_to_operators_and_the_close_form_to_coordinators(
    client, poll, member, coordinator
):
    url = reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})
    body = login(client, member).get(url).content.decode()
    assert reverse("meetings:poll_answer", kwargs={"poll_id": poll.public_id}) in body
    assert reverse("meetings:poll_close", kwargs={"poll_id": poll.public_id}) not in body
    assert "<legend" in body and 'type="radio"' in body and "<caption>" in body
    body = login(client, coordinator).get(url).content.decode()
    assert reverse("meetings:poll_answer", kwargs={"poll_id": poll.public_id}) not in body
    assert reverse("meetings:poll_close", kwargs={"poll_id": poll.public_id}) in body


def test_member_answers_then_changes_the_answer(client, poll, operator, member, referent):
    url = reverse("meetings:poll_answer", kwargs={"poll_id": poll.public_id})
    tue, thu = _slot(poll, 1), _slot(poll, 3)
    data = {"operator": operator.pk, f"slot_{tue.pk}": "yes", f"slot_{thu.pk}": "no"}
    response = login(client, member).post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})
    response = login(client, referent).post(url, data | {f"slot_{thu.pk}": "if_need_be"})
    assert response.status_code == 302
    assert dict(PollAnswer.objects.values_list("slot_id", "choice")) == {tue.pk: YES, thu.pk: MAYBE}
    response = client.get(response["Location"])
    body = response.content.decode()
    assert referent.name in body  # who answered last for the operator
    form = dict(response.context["answer_forms"])[operator]
    assert form.initial[f"slot_{thu.pk}"] == MAYBE  # the form shows the current answers


def test_person_of_two_operators_chooses_which_one_answers(client, poll, series, operator, other_operator, member):
    MembershipFactory(operator=other_operator, user=member)
    _take_part(series, other_operator)
    detail = reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})
    response = login(client, member).get(detail)
    assert [op for op, _form in response.context["answer_forms"]] == [operator, other_operator]
    tue = _slot(poll, 1)
    url = reverse("meetings:poll_answer", kwargs={"poll_id": poll.public_id})
    assert client.post(url, {"operator": other_operator.pk, f"slot_{tue.pk}": "no"}).status_code == 302
    assert list(PollAnswer.objects.values_list("operator_id", "choice")) == [(other_operator.pk, NO)]


@pytest.mark.parametrize(
    ("case", "status"),
    [
        ("other operator", 400),
        ("no operator", 400),
        ("slot of another poll", 400),
        ("bad choice", 400),
        ("nothing answered", 400),
        ("closed", 409),
    ],
)
def test_bad_answers_are_refused_with_a_message(
    client, case, status, poll, series, coordinator, operator, other_operator, member
):
    _take_part(series, other_operator)
    data = {"operator": operator.pk, f"slot_{_slot(poll, 1).pk}": "yes"}
    if case == "other operator":
        data["operator"] = other_operator.pk
    elif case == "no operator":
        del data["operator"]
    elif case == "slot of another poll":
        other = poll_create(actor=coordinator, series=series, title="Autre", deadline=_in_a_week(), slots=[TUE_1330])
        data[f"slot_{other.slots.get().pk}"] = "yes"
    elif case == "bad choice":
        data[f"slot_{_slot(poll, 1).pk}"] = "<b>maybe</b>"
    elif case == "nothing answered":
        del data[f"slot_{_slot(poll, 1).pk}"]
    elif case == "closed":
        poll_close(actor=coordinator, poll=poll, slot=_slot(poll, 1))
    url = reverse("meetings:poll_answer", kwargs={"poll_id": poll.public_id})
    response = login(client, member).post(url, data)
    assert response.status_code == status
    assert "alert-danger" in response.content.decode()
    assert not PollAnswer.objects.exists()


def test_answer_is_post_only(client, poll, member):
    url = reverse("meetings:poll_answer", kwargs={"poll_id": poll.public_id})
    assert login(client, member).get(url).status_code == 405


def test_coordinator_closes_the_poll(client, poll, series, coordinator, member):
    tue = _slot(poll, 1)
    # A cancelled session to come is kept as it is, and reported.
    SessionFactory(series=series, status=Session.Status.CANCELLED)
    url = reverse("meetings:poll_close", kwargs={"poll_id": poll.public_id})
    response = login(client, coordinator).post(url, {"slot": tue.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:series_detail", kwargs={"series_id": series.public_id})
    message = str(next(iter(get_messages(response.wsgi_request))))
    # The coordinator reads French.
    assert "13 séances ont été programmées" in message and "conservées telles quelles" in message
    poll.refresh_from_db()
    assert poll.status == SlotPoll.Status.CLOSED and poll.chosen_slot == tue

    # Read-only and still visible, the chosen slot highlighted.
    detail = reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})
    for person in (coordinator, member):
        body = login(client, person).get(detail).content.decode()
        assert 'class="table-success"' in body and "Le créneau retenu est" in body
        assert reverse("meetings:poll_close", kwargs={"poll_id": poll.public_id}) not in body
        assert reverse("meetings:poll_answer", kwargs={"poll_id": poll.public_id}) not in body
    response = login(client, coordinator).post(url, {"slot": _slot(poll, 3).pk})
    assert response.status_code == 400 and "déjà clôturé" in response.content.decode()
    assert SlotPoll.objects.get().chosen_slot == tue


@pytest.mark.parametrize("case", ["slot of another poll", "no slot", "not a number", "no date left"])
def test_closing_errors_are_shown_and_nothing_is_saved(client, case, poll, series, coordinator):
    data = {"slot": _slot(poll, 1).pk}
    if case == "slot of another poll":
        other = poll_create(actor=coordinator, series=series, title="Autre", deadline=_in_a_week(), slots=[TUE_1330])
        data["slot"] = other.slots.get().pk
    elif case == "no slot":
        data = {}
    elif case == "not a number":
        data["slot"] = "1 OR 1=1"
    elif case == "no date left":
        SessionFactory(series=series, starts_at=datetime.datetime(2020, 9, 3, 7, 0, tzinfo=datetime.UTC))
    url = reverse("meetings:poll_close", kwargs={"poll_id": poll.public_id})
    response = login(client, coordinator).post(url, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "alert-danger" in body
    if case == "no date left":
        assert "déjà passées" in body
    poll.refresh_from_db()
    series.refresh_from_db()
    assert poll.status == SlotPoll.Status.OPEN and series.recurrence == Series.Recurrence.NONE


@pytest.mark.parametrize("count", [1, 8])
def test_detail_query_count_is_fixed(client, series, coordinator, territory, member, count, django_assert_num_queries):
    slots = [(day % 7, datetime.time(8 + day // 7, 0), 60) for day in range(count)]
    poll = poll_create(actor=coordinator, series=series, title="Créneau", deadline=_in_a_week(), slots=slots)
    for _ in range(count):
        op = OperatorFactory(territory=territory)
        _take_part(series, op)
        user = MembershipFactory(operator=op).user
        poll_answer(actor=user, poll=poll, operator=op, answers={s.pk: YES for s in poll.slots.all()})
    login(client, member)
    url = reverse("meetings:poll_detail", kwargs={"poll_id": poll.public_id})
    # session, user, savepoint pair, the poll, the person's coordinated series, memberships,
    # participations, slots, answers, participating operators, then base.html's navigation:
    # coordinator group and two permission lookups
    # One more than before individual participants: the series a person takes part in their own name.
    with django_assert_num_queries(13):
        response = client.get(url)
    assert len(response.context["results"].slots) == count
    assert len(response.context["results"].operators) == count + 1
