"""The registry: the apps register their kinds; this app knows none by name and imports no app but core."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from bassins.notifications import VisitKind
from clinical.notifications import ClinicalKind
from consultations.notifications import ConsultationKind
from evaluations.notifications import EvaluationKind
from helpdesk.notifications import HelpDeskKind
from meetings.notifications import MeetingKind
from notifications import delivery, registry, unsubscribe
from notifications.digest import DigestKind
from notifications.models import Notification
from registrations.notifications import RegistrationKind

from ..conftest import login

FIRST_PARTY = {"accounts", "core", "evaluations", "meetings", "notifications", "operators", "registrations", "config"}


def test_every_app_registers_its_kinds_and_the_digest_comes_last():
    codes = [code for code, _label in registry.kind_choices()]
    assert codes == [
        *MeetingKind.values,
        *RegistrationKind.values,
        *ClinicalKind.values,
        *ConsultationKind.values,
        *EvaluationKind.values,
        *VisitKind.values,
        *HelpDeskKind.values,
        DigestKind.DIGEST,
    ]
    assert registry.kind_get(MeetingKind.SESSION_INVITATION).mandatory
    assert not registry.kind_get(EvaluationKind.EVALUATION_REMINDER).mandatory


def test_the_kind_field_takes_its_choices_from_the_registry(member):
    row = Notification(recipient=member, kind=EvaluationKind.EVALUATION_INVITATION)
    assert row.get_kind_display() == "Invitation à l'évaluation"
    assert [code for code, _label in Notification._meta.get_field("kind").choices] == [
        code for code, _label in registry.kind_choices()
    ]


def test_a_second_kind_under_a_registered_code_is_refused():
    kind = registry.kind_get(MeetingKind.ACTION_DUE)
    registry.register_kind(kind)  # the same kind again (a module imported twice) is harmless
    with pytest.raises(ImproperlyConfigured):
        registry.register_kind(registry.Kind(code=kind.code, label="x", load=kind.load, build=kind.build))
    assert registry.kind_get(MeetingKind.ACTION_DUE) is kind


def test_the_preferences_list_the_kinds_a_person_may_turn_off(client, member):
    page = login(client, member).get(reverse("notifications:preferences")).content.decode()
    for kind in registry.kinds():
        shown = f'value="{kind.code}"' in page
        assert shown is kind.in_preferences, kind.code
    assert f'value="{MeetingKind.ACTION_DUE}"' in page and f'value="{MeetingKind.SESSION_INVITATION}"' not in page


def test_a_row_of_a_kind_no_app_registers_fails_visibly_and_has_no_unsubscribe_link(client, member):
    row = Notification.objects.create(recipient=member, kind="retired_kind", object_type="x", object_id="1")
    assert delivery.notification_send(notification_id=row.pk) == Notification.State.FAILED
    assert Notification.objects.get(pk=row.pk).last_error == "unknown kind"
    token = unsubscribe.unsubscribe_token(notification=row)
    response = client.get(reverse("notifications:unsubscribe", kwargs={"token": token}))
    assert response.status_code == 404


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names & FIRST_PARTY


def test_the_notifications_app_imports_no_app_but_core():
    app = Path(settings.BASE_DIR) / "notifications"
    crossing = {
        str(path.relative_to(app)): names - {"core", "notifications"}
        for path in app.rglob("*.py")
        if "migrations" not in path.parts and (names := _imports(path)) - {"core", "notifications"}
    }
    assert crossing == {}
