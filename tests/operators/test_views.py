import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from core.models import AuditEvent
from operators import services
from operators.models import MembershipRole, Operator

from ..conftest import login
from ..factories import MembershipFactory, OperatorFactory

HOSTILE = ["", "x" * 100_000, "<script>alert(1)</script>"]


def _form_data(operator, **changes):
    data = {
        "name": operator.name,
        "short_name": operator.short_name,
        "institution": operator.institution,
        "kind": operator.kind,
        "territory": operator.territory_id,
        "is_active": "on",
        "description": operator.description,
        "street": "",
        "postal_code": "",
        "city": operator.city,
        "phone": "",
        "email": "",
        "website": "",
        "version": operator.version,
    }
    data.update(changes)
    return data


def test_directory_lists_and_filters(client, member, operator, other_operator):
    response = login(client, member).get(reverse("operators:directory"), {"q": "canopee"})
    assert [op.name for op in response.context["page"].object_list] == ["Canopée"]
    response = client.get(reverse("operators:directory"), {"kind": "nope", "territory": "abc"})
    assert response.status_code == 200  # bad filters are ignored, not a 500


@pytest.mark.parametrize("count", [1, 40])
def test_directory_query_count_is_fixed(client, member, territory, count, django_assert_num_queries):
    OperatorFactory.create_batch(count, territory=territory)
    login(client, member)
    # session, user, savepoint pair, coordinator group, memberships, two permission lookups, count, territories, page,
    # publics
    with django_assert_num_queries(10):
        response = client.get(reverse("operators:directory"))
    assert response.context["page"].paginator.count == count + 1  # the member's own operator


def test_the_directory_shows_a_change_at_once(client, member, operator, admin_user):
    """The list is a cached fragment: an update (a conditional UPDATE, no signal) drops it."""
    login(client, member)
    assert "Canopée (Beauvallon)" not in client.get(reverse("operators:directory")).content.decode()
    services.operator_update(actor=admin_user, operator=operator, version=operator.version, name="Canopée (Beauvallon)")
    assert "Canopée (Beauvallon)" in client.get(reverse("operators:directory")).content.decode()


def test_an_inactive_operator_listed_for_an_admin_is_never_served_to_a_member(client, member, admin_user, territory):
    OperatorFactory(territory=territory, name="Service fermé", is_active=False)
    assert "Service fermé" in login(client, admin_user).get(reverse("operators:directory")).content.decode()
    client.logout()
    assert "Service fermé" not in login(client, member).get(reverse("operators:directory")).content.decode()


def test_the_directory_in_each_language(client, member, operator):
    login(client, member)
    assert "opérateur" in client.get(reverse("operators:directory")).content.decode()
    User.objects.filter(pk=member.pk).update(language="en")
    english = client.get(reverse("operators:directory")).content.decode()
    assert "1 operator" in english and "1 opérateur" not in english


def test_detail_shows_members_and_contact(client, outsider, referent, operator):
    response = login(client, outsider).get(reverse("operators:detail", kwargs={"slug": operator.slug}))
    body = response.content.decode()
    assert referent.name in body and "Namur" in body
    assert reverse("operators:edit", kwargs={"slug": operator.slug}) not in body


def test_inactive_operator_is_404_for_members(client, member, coordinator, territory):
    closed = OperatorFactory(territory=territory, is_active=False)
    url = reverse("operators:detail", kwargs={"slug": closed.slug})
    assert login(client, member).get(url).status_code == 404
    assert login(client, coordinator).get(url).status_code == 200


def test_unknown_operator_is_404(client, member):
    assert login(client, member).get("/operators/does-not-exist/").status_code == 404


def test_coordinator_creates_an_operator(client, coordinator, territory):
    response = login(client, coordinator).post(
        reverse("operators:create"),
        {
            "name": "Nouvel opérateur",
            "kind": Operator.Kind.SSM,
            "territory": territory.pk,
            "publics": ["adults"],
            "is_active": "on",
            "description": "Un service",
            "phone": "+32 81 00 00 00",
        },
    )
    operator = Operator.objects.get(name="Nouvel opérateur")
    assert response["Location"] == reverse("operators:detail", kwargs={"slug": operator.slug})
    assert operator.public_codes == ["adults"]


@pytest.mark.parametrize(
    "field,value",
    [
        ("name", ""),
        ("name", "x" * 100_000),
        ("description", "x" * 100_000),
        ("phone", "<script>"),
        ("email", "not an address"),
        ("website", "javascript:alert(1)"),
        ("territory", "999999"),
        ("kind", "<b>"),
        ("publics", "martians"),
        ("name", "nul\x00byte"),
    ],
)
def test_operator_form_refuses_bad_input(client, coordinator, operator, field, value):
    before = Operator.objects.get(pk=operator.pk)
    response = login(client, coordinator).post(
        reverse("operators:edit", kwargs={"slug": operator.slug}), _form_data(operator, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    after = Operator.objects.get(pk=operator.pk)
    assert (after.name, after.description, after.version) == (before.name, before.description, before.version)


def test_script_in_description_is_escaped(client, coordinator, operator):
    login(client, coordinator).post(
        reverse("operators:edit", kwargs={"slug": operator.slug}),
        _form_data(operator, description="<script>x</script>"),
    )
    body = client.get(reverse("operators:detail", kwargs={"slug": operator.slug})).content.decode()
    assert "<script>x</script>" not in body and "&lt;script&gt;x&lt;/script&gt;" in body


def test_referent_edits_own_operator_contact_only(client, referent, operator):
    url = reverse("operators:edit", kwargs={"slug": operator.slug})
    response = login(client, referent).get(url)
    assert "name" not in response.context["form"].fields
    response = client.post(url, {"description": "Mis à jour", "city": "Saint-Servais", "version": operator.version})
    assert response.status_code == 302
    operator.refresh_from_db()
    assert (operator.description, operator.city, operator.name) == ("Mis à jour", "Saint-Servais", "Canopée")


def test_referent_cannot_edit_another_operator(client, referent, other_operator):
    url = reverse("operators:edit", kwargs={"slug": other_operator.slug})
    assert login(client, referent).get(url).status_code == 403
    assert client.post(url, {"description": "Hijack", "version": 1}).status_code == 403
    other_operator.refresh_from_db()
    assert other_operator.description != "Hijack"


def test_concurrent_edits_end_in_a_visible_conflict(client, coordinator, referent, operator, series):
    url = reverse("operators:edit", kwargs={"slug": operator.slug})
    other = login(type(client)(), referent)
    other.post(url, {"description": "Texte du référent", "version": 1})
    response = login(client, coordinator).post(
        url, _form_data(operator, description="Texte du coordinateur", version=1)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Texte du référent" in body and "Texte du coordinateur" in body
    operator.refresh_from_db()
    assert operator.description == "Texte du référent"
    # Saving again over the version now shown goes through.
    response = client.post(url, _form_data(operator, description="Fusion des deux", version=operator.version))
    assert response.status_code == 302
    operator.refresh_from_db()
    assert operator.description == "Fusion des deux"


def test_referent_manages_members(client, referent, member, operator):
    login(client, referent)
    membership = operator.memberships.get(user=member)
    client.post(
        reverse("operators:membership_role", kwargs={"slug": operator.slug, "pk": membership.pk}),
        {"role": MembershipRole.SUBSTITUTE},
    )
    membership.refresh_from_db()
    assert membership.role == MembershipRole.SUBSTITUTE
    response = client.post(
        reverse("operators:membership_role", kwargs={"slug": operator.slug, "pk": membership.pk}), {"role": "<script>"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == MembershipRole.SUBSTITUTE
    client.post(reverse("operators:membership_remove", kwargs={"slug": operator.slug, "pk": membership.pk}))
    assert not operator.memberships.filter(user=member).exists()


def test_membership_of_another_operator_is_404(client, referent, operator, other_member, other_operator):
    membership = other_operator.memberships.get(user=other_member)
    url = reverse("operators:membership_remove", kwargs={"slug": operator.slug, "pk": membership.pk})
    assert login(client, referent).post(url).status_code == 404
    assert other_operator.memberships.filter(user=other_member).exists()


@pytest.mark.parametrize("count", [1, 20])
def test_members_page_query_count_is_fixed(client, referent, operator, count, django_assert_num_queries):
    MembershipFactory.create_batch(count, operator=operator)
    login(client, referent)
    with django_assert_num_queries(9):
        response = client.get(reverse("operators:members", kwargs={"slug": operator.slug}))
    assert len(response.context["members"]) == count + 1


def test_export_csv_is_logged_and_neutralises_formulas(client, coordinator, operator, territory):
    OperatorFactory(name='=HYPERLINK("http://evil")', territory=territory)
    response = login(client, coordinator).get(reverse("operators:export"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    names = [r[0] for r in rows[1:]]
    assert "Canopée" in names and '\'=HYPERLINK("http://evil")' in names
    assert AuditEvent.objects.filter(action="directory.export", actor=coordinator).exists()


def test_export_csv_on_the_demo_data(db, client):
    """The demo operators serve publics: their labels are translated text in the file."""
    call_command("seed_demo")
    for email in ("claire.dubois@pfcsm.example", "admin@carrefour.example"):
        response = login(client, User.objects.get(email=email)).get(reverse("operators:export"))
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:6] == ["Nom", "Nom abrégé", "Institution de rattachement", "Type", "Public cible", "Territoire"]
        assert len(rows) - 1 == Operator.objects.count()
        by_name = {r[0]: r for r in rows[1:]}
        assert by_name["Fil rouge de l'@tribu mobile"][4] == "Enfants, Adolescents"
        assert by_name["Pléiade"][4] == "Jeunes adultes, Adultes, Personnes âgées"
        assert by_name["Pléiade"][5] == "Province de Namur"
