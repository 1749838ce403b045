"""The info-round pages: an operator's entry, the completion board, the compiled round."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from meetings.models import InfoRoundAnswer, InfoRoundEntry, Participation
from meetings.services.inforound import answer_field, info_round_entry_save
from operators.models import MembershipRole

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory
from ..factories.agenda import OPEN, START, participating_operators

pytestmark = pytest.mark.django_db


@pytest.fixture
def now_open():
    with time_machine.travel(OPEN, tick=False):
        yield


def _entry_url(session, operator):
    return reverse("meetings:inforound_entry", kwargs={"session_id": session.public_id, "operator_slug": operator.slug})


def _data(questions, texts=None, action="draft", version=0):
    data = {"version": str(version), "action": action}
    for q in questions:
        data[answer_field(q.pk)] = (texts or {}).get(q.pk, "")
    return data


def _text(response) -> str:
    return response.content.decode()


def test_before_it_opens_the_page_says_when(client, ir_session, operator, member, questions):
    with time_machine.travel(START - dt.timedelta(days=4), tick=False):
        login(client, member)
        body = _text(client.get(_entry_url(ir_session, operator)))
        assert "le tour de table ouvre le samedi 2 mars 2030 13:30." in body.lower()
        assert "<textarea" not in body
        response = client.post(_entry_url(ir_session, operator), _data(questions, {questions[0].pk: "Tôt"}))
    assert response.status_code == 400
    assert "Le tour de table ouvre le" in _text(response)
    assert not InfoRoundEntry.objects.exists()


def test_a_member_fills_saves_reloads_and_submits(
    client, ir_session, operator, member, coordinator, questions, now_open
):
    login(client, member)
    url = _entry_url(ir_session, operator)
    body = _text(client.get(url))
    assert "Tour de table de Canopée" in body and "Nouvelles du service" in body
    assert 'maxlength="500"' in body and "Enregistrer le brouillon" in body and "Rien de neuf cette semaine" in body
    texts = {questions[0].pk: "Deux nouvelles collègues.", questions[1].pk: "Délai de 2 semaines."}
    response = client.post(url, _data(questions, texts, "draft"))
    assert response.status_code == 302 and response["Location"] == url
    body = _text(client.get(url))
    assert "Votre brouillon a été enregistré." in body
    assert "Deux nouvelles collègues." in body and "Délai de 2 semaines." in body
    assert "Dernière modification par Olivier Marchal" in body
    response = client.post(url, _data(questions, texts, "submit", version=1), follow=True)
    assert "Votre tour de table a été envoyé. Merci !" in _text(response)
    entry = InfoRoundEntry.objects.get()
    assert entry.status == "submitted" and not entry.is_late and entry.version == 2

    login(client, coordinator)
    board = _text(client.get(reverse("meetings:inforound_board", kwargs={"session_id": ir_session.public_id})))
    assert "Canopée" in board and "Envoyé" in board and "Olivier Marchal" in board
    compiled = _text(client.get(reverse("meetings:inforound_compiled", kwargs={"session_id": ir_session.public_id})))
    assert "Deux nouvelles collègues." in compiled and "Délai de 2 semaines." in compiled


def test_an_answer_over_its_limit_gives_a_french_field_error(client, ir_session, operator, member, questions, now_open):
    texts = {questions[0].pk: "x" * 501, questions[1].pk: "Court"}
    response = login(client, member).post(_entry_url(ir_session, operator), _data(questions, texts))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [answer_field(questions[0].pk)]
    assert (
        "Cette réponse ne peut dépasser 500 caractères : elle en compte 501."
        in errors[answer_field(questions[0].pk)][0]
    )
    assert "Court" in _text(response)  # nothing typed is lost
    assert not InfoRoundEntry.objects.exists()


@pytest.mark.parametrize("text", ["x" * 100_000, "un\x00deux", "<script>alert(1)</script>" * 30])
def test_hostile_answers_are_refused_without_a_500(client, ir_session, operator, member, questions, now_open, text):
    response = login(client, member).post(_entry_url(ir_session, operator), _data(questions, {questions[0].pk: text}))
    assert response.status_code == 200 and answer_field(questions[0].pk) in response.context["form"].errors
    assert not InfoRoundEntry.objects.exists()


def test_script_is_shown_as_text(client, ir_session, operator, member, coordinator, questions, now_open):
    texts = {questions[0].pk: "<script>alert(1)</script>"}
    login(client, member).post(_entry_url(ir_session, operator), _data(questions, texts, "submit"))
    compiled = reverse("meetings:inforound_compiled", kwargs={"session_id": ir_session.public_id})
    body = _text(login(client, coordinator).get(compiled))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body


def test_required_answers_block_submitting_not_drafts(client, ir_session, operator, member, questions, now_open):
    questions[2].required = True
    questions[2].save()
    url = _entry_url(ir_session, operator)
    login(client, member)
    body = _text(client.get(url))
    assert "Difficultés rencontrées (réponse requise pour l&#x27;envoi)" in body
    assert client.post(url, _data(questions, {questions[0].pk: "x"}, "draft")).status_code == 302
    response = client.post(url, _data(questions, {questions[0].pk: "x"}, "submit", version=1))
    assert response.context["form"].errors == {
        answer_field(questions[2].pk): ["Cette question demande une réponse avant l'envoi."]
    }
    assert InfoRoundEntry.objects.get().status == "draft"


def test_nothing_new_in_one_click(client, ir_session, operator, referent, coordinator, questions, now_open):
    response = login(client, referent).post(_entry_url(ir_session, operator), _data(questions, action="nothing_new"))
    assert response.status_code == 302
    entry = InfoRoundEntry.objects.get()
    assert entry.nothing_new and entry.status == "submitted"
    compiled = reverse("meetings:inforound_compiled", kwargs={"session_id": ir_session.public_id})
    assert "Rien de neuf cette semaine." in _text(login(client, coordinator).get(compiled))


def test_edits_after_the_start_are_refused(client, ir_session, operator, member, questions):
    info_round_entry_save(
        actor=member, session=ir_session, operator=operator, answers={questions[0].pk: "Avant"}, version=0, now=OPEN
    )
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        login(client, member)
        body = _text(client.get(_entry_url(ir_session, operator)))
        assert "La séance a commencé : le tour de table ne peut plus être modifié." in body
        assert "<textarea" not in body and "Avant" in body
        response = client.post(
            _entry_url(ir_session, operator), _data(questions, {questions[0].pk: "Après"}, "submit", version=1)
        )
    assert response.status_code == 400
    assert "La séance a commencé" in _text(response)
    assert InfoRoundAnswer.objects.get(question=questions[0]).text == "Avant"


def test_a_stale_save_shows_both_texts_and_loses_nothing(
    client, ir_session, operator, member, referent, questions, now_open
):
    url = _entry_url(ir_session, operator)
    info_round_entry_save(
        actor=referent,
        session=ir_session,
        operator=operator,
        answers={questions[0].pk: "Version d'Isabelle"},
        version=0,
    )
    response = login(client, member).post(url, _data(questions, {questions[0].pk: "Version d'Olivier"}, version=0))
    assert response.status_code == 409
    body = _text(response)
    assert "Conflit de modification" in body
    assert "Version d&#x27;Isabelle" in body and "Version d&#x27;Olivier" in body
    assert InfoRoundAnswer.objects.get(question=questions[0]).text == "Version d'Isabelle"
    assert response.context["form"]["version"].value() == 1
    # Saving again from the conflict page, knowingly, goes through.
    response = client.post(url, _data(questions, {questions[0].pk: "Fusion"}, version=1))
    assert response.status_code == 302
    assert InfoRoundAnswer.objects.get(question=questions[0]).text == "Fusion"


def test_another_participating_operators_member_gets_403(client, series, ir_session, operator, questions, now_open):
    polaris = OperatorFactory(name="Polaris bis", slug="polaris-bis")
    Participation.objects.create(series=series, operator=polaris, since=dt.date(2020, 9, 1))
    stranger = MembershipFactory(operator=polaris, role=MembershipRole.REFERENT).user
    login(client, stranger)
    assert client.get(_entry_url(ir_session, operator)).status_code == 403
    response = client.post(_entry_url(ir_session, operator), _data(questions, {questions[0].pk: "Intrus"}))
    assert response.status_code == 403
    assert not InfoRoundEntry.objects.exists()
    assert client.get(_entry_url(ir_session, polaris)).status_code == 200


def test_an_operator_outside_the_series_is_404(client, ir_session, operator, other_operator, member, now_open):
    login(client, member)
    assert client.get(_entry_url(ir_session, other_operator)).status_code == 404
    url = reverse("meetings:inforound_entry", kwargs={"session_id": ir_session.public_id, "operator_slug": "nobody"})
    assert client.get(url).status_code == 404


def test_coordinators_read_but_do_not_write(client, ir_session, operator, coordinator, member, questions, now_open):
    info_round_entry_save(
        actor=member, session=ir_session, operator=operator, answers={questions[0].pk: "Brouillon"}, version=0
    )
    login(client, coordinator)
    body = _text(client.get(_entry_url(ir_session, operator)))
    assert "<textarea" not in body and "son brouillon reste privé" in body and "Brouillon" in body
    response = client.post(_entry_url(ir_session, operator), _data(questions, {questions[0].pk: "Coord"}, version=1))
    assert response.status_code == 403


def test_the_session_page_invites_members_to_fill(client, ir_session, operator, member, now_open):
    body = _text(
        login(client, member).get(reverse("meetings:session_detail", kwargs={"session_id": ir_session.public_id}))
    )
    assert "Remplir le tour de table de Canopée" in body
    assert _entry_url(ir_session, operator) in body
    assert "Pas commencé" in body


@pytest.mark.parametrize("count", [1, 10])
def test_board_page_query_count_is_fixed(
    client, series, ir_session, coordinator, questions, count, django_assert_num_queries
):
    for op, user in participating_operators(series, count):
        info_round_entry_save(
            actor=user,
            session=ir_session,
            operator=op,
            answers={questions[0].pk: "x"},
            version=0,
            submit=True,
            now=OPEN,
        )
    InfoRoundEntry.objects.update(last_reminded_at=OPEN)
    login(client, coordinator)
    url = reverse("meetings:inforound_board", kwargs={"session_id": ir_session.public_id})
    # session, user, savepoint pair, the session, coordinated series, operators, entries, reminders sent,
    # absences of the day, coordinator group (menu)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert len(response.context["rows"]) == count + 1
    assert response.context["counts"] == {"submitted": count, "late": 0, "draft": 0, "not_started": 1, "absent": 0}
    assert "dernier rappel" not in _text(response)  # the heading is capitalised; the dates are shown
    assert "Dernier rappel" in _text(response)


@pytest.mark.parametrize("count", [1, 10])
def test_compiled_page_query_count_is_fixed(
    client, series, ir_session, member, questions, count, django_assert_num_queries
):
    for op, user in participating_operators(series, count):
        info_round_entry_save(
            actor=user,
            session=ir_session,
            operator=op,
            answers={q.pk: f"Réponse {op.name}" for q in questions},
            version=0,
            submit=True,
            now=OPEN,
        )
    login(client, member)
    url = reverse("meetings:inforound_compiled", kwargs={"session_id": ir_session.public_id})
    # session, user, savepoint pair, the session, coordinated series, memberships, participations
    # (permission), questions, operators, entries, answers, coordinator group and permissions (menu)
    # One more than before individual participants: the series a person takes part in their own name.
    with django_assert_num_queries(14):
        response = client.get(url)
    body = _text(response)
    assert body.count("Réponse Équipe 00") == 5
    assert "Pas encore de réponse :" in body and "Canopée" in body


def test_answers_sent_after_the_start_come_back_read_only_with_a_copy_button(
    client, ir_session, operator, member, questions
):
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        login(client, member)
        texts = {questions[0].pk: "Deux nouvelles collègues.", questions[1].pk: "Délai de 2 semaines."}
        response = client.post(_entry_url(ir_session, operator), _data(questions, texts, "submit"))
    assert response.status_code == 400
    body = _text(response)
    summary = body.index("data-error-summary")
    assert "Rien n'a été enregistré." in body[summary:]
    assert "La séance a commencé : le tour de table ne peut plus être modifié." in body[summary:]
    assert "Votre texte, non enregistré" in body and "son tour de table n'accepte plus de réponses" in body
    assert body.count("readonly data-refused-text") == 2
    assert ">Deux nouvelles collègues.</textarea>" in body and ">Délai de 2 semaines.</textarea>" in body
    assert "data-copy-refused" in body and "Copier mon texte" in body
    assert not InfoRoundEntry.objects.exists()


def test_an_invalid_entry_after_the_start_also_comes_back(client, ir_session, operator, member, questions):
    too_long = "x" * (questions[0].max_length + 1)
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        response = login(client, member).post(
            _entry_url(ir_session, operator), _data(questions, {questions[0].pk: too_long}, "submit")
        )
    assert response.status_code == 400
    body = _text(response)
    assert "La séance a commencé" in body and f">{too_long}</textarea>" in body


def test_a_refused_entry_says_at_the_top_of_the_form_that_nothing_was_saved(
    client, ir_session, operator, member, questions, now_open
):
    too_long = "x" * (questions[0].max_length + 1)
    response = login(client, member).post(
        _entry_url(ir_session, operator), _data(questions, {questions[0].pk: too_long}, "submit")
    )
    body = _text(response)
    summary, form = body.index("data-error-summary"), body.index('class="col-lg-9 inforound-form"')
    assert summary < form
    assert 'tabindex="-1"' in body[body.rindex("<div", 0, summary) : summary + 40]
    assert f'href="#id_{answer_field(questions[0].pk)}"' in body[summary:form]
    assert "Rien n'a été enregistré." in body[summary:form]
    assert f"{too_long}</textarea>" in body  # still editable in the form


def test_late_entries_say_the_coordinators_see_them_late(client, ir_session, operator, member, questions):
    texts = {q.pk: "Rien de grave." for q in questions}
    with time_machine.travel(START - dt.timedelta(hours=2), tick=False):
        response = login(client, member).post(_entry_url(ir_session, operator), _data(questions, texts, "submit"))
        body = _text(client.get(response["Location"]))
    assert InfoRoundEntry.objects.get().is_late
    assert "marqué en retard, et les coordinateurs le voient ainsi sur leur tableau de suivi" in body


def test_after_the_start_an_entry_never_filled_is_not_filled_not_not_started(
    client, ir_session, operator, member, coordinator, questions
):
    with time_machine.travel(START + dt.timedelta(minutes=1), tick=False):
        body = _text(login(client, member).get(_entry_url(ir_session, operator)))
        assert "La séance a commencé" in body
        assert "Non rempli" in body and "Pas commencé" not in body
        assert "Votre opérateur n'a pas rempli son tour de table pour cette séance." in body
        assert "Cet opérateur" not in body
        session_page = _text(client.get(reverse("meetings:session_detail", args=[ir_session.public_id])))
        assert "Non rempli" in session_page and "Pas commencé" not in session_page
        body = _text(login(client, coordinator).get(_entry_url(ir_session, operator)))
        assert "Cet opérateur n'a pas rempli son tour de table pour cette séance." in body
        board = _text(client.get(reverse("meetings:inforound_board", args=[ir_session.public_id])))
        assert "Non rempli" in board and "Pas commencé" not in board
    with time_machine.travel(OPEN, tick=False):
        assert "Pas commencé" in _text(client.get(reverse("meetings:inforound_board", args=[ir_session.public_id])))


def test_operator_names_take_the_french_elision(client, ir_session, series, questions, now_open):
    emism = OperatorFactory(name="Emism", slug="emism")
    Participation.objects.create(series=series, operator=emism, since=dt.date(2020, 9, 1))
    user = MembershipFactory(operator=emism, role=MembershipRole.MEMBER).user
    body = _text(login(client, user).get(_entry_url(ir_session, emism)))
    assert "Tour de table d’Emism" in body and "Tour de table de Emism" not in body
    session_page = _text(client.get(reverse("meetings:session_detail", args=[ir_session.public_id])))
    assert "Remplir le tour de table d’Emism" in session_page
