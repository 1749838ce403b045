"""The record of processing activities (GDPR art. 30), generated from the configuration.

The categories of data come from privacy/registry.py (each model that holds a
person, and the columns of that person's copy), the retention periods from the
settings (privacy.notice): the record says what the code does, not what someone
once wrote. Each activity below names its purpose, legal basis, people and
recipients; an app of the registry that no activity covers gets an entry of its
own, marked as generated, for the responsible organisation to complete.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext as _

from core import formats

from .exports import PROFILE_FIELDS
from .notice import legal_obligation, legitimate_interest, retention_texts
from .registry import HOLDERS


@dataclass(frozen=True)
class DataCategory:
    """One model holding people, named as people read it, with the data it holds of them."""

    label: str
    items: list[str]


@dataclass
class Activity:
    key: str
    name: str
    purpose: str
    basis: str
    people: str
    recipients: str
    retention: list[str]
    apps: tuple[str, ...]
    data: list[DataCategory] = field(default_factory=list)
    generated: bool = False


@dataclass
class ProcessingRecord:
    controller: str
    dpo_email: str
    generated_at: datetime.datetime
    activities: list[Activity]
    security: list[str]


def _label(model, lookup: str) -> str:
    """The name of the data a column of the copy holds: the field itself, or the
    first relation it goes through ("session__series__name" → "session")."""
    name = lookup.split("__", 1)[0]
    try:
        column = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if column.is_relation and not hasattr(column, "verbose_name"):
        return str(column.related_model._meta.verbose_name)  # a reverse relation (answers)
    return str(column.verbose_name)


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def data_categories(app_label: str) -> list[DataCategory]:
    """The models of `app_label` that hold a person, each with its data (registry.HOLDERS)."""
    found = []
    for key, holder in HOLDERS.items():
        label, _sep, model_name = key.partition(".")
        if label != app_label:
            continue
        model = apps.get_model(label, model_name)
        items = [_label(model, lookup) for lookup in holder.export]
        found.append(DataCategory(str(model._meta.verbose_name).capitalize(), _unique(items) or [holder.not_exported]))
    return found


def _person_category() -> DataCategory:
    User = get_user_model()
    return DataCategory(
        str(User._meta.verbose_name).capitalize(),
        [str(User._meta.get_field(name).verbose_name) for name in PROFILE_FIELDS],
    )


def _activities() -> list[Activity]:
    interest = legitimate_interest()
    kept = retention_texts()
    accounts, emails, audit, exports, meetings = (
        kept[key][1] for key in ("accounts", "emails", "audit", "exports", "meetings")
    )
    health = _(
        "Legitimate interest (art. 6.1 f GDPR) and, for pseudonymised health data, the management of "
        "health and social care services (art. 9.2 h GDPR)."
    )
    portal = _("Coordinators and participants of the same series; the platform's administrators.")
    return [
        Activity(
            "accounts",
            _("Accounts and sign-in"),
            _("Giving each professional a personal account, signing in securely and inviting people."),
            interest,
            _(
                "Professionals with an account: coordinators, staff of operators, individual participants, "
                "administrators."
            ),
            _(
                "The platform's administrators; the person's name is seen by the people of the series "
                "they take part in."
            ),
            [accounts],
            ("accounts", "account", "mfa", "admin"),
        ),
        Activity(
            "operators",
            _("Directory of operators"),
            _("Knowing who belongs to which service, with which role, to invite and contact them."),
            interest,
            _("Staff of the operators: referents, members, substitutes."),
            _("Signed-in people of the portal; the service's referents and the coordinators of its series."),
            [_("A membership is deleted when the person leaves the service or their account is erased."), accounts],
            ("operators",),
        ),
        Activity(
            "meetings",
            _("Meetings, info rounds and minutes"),
            _(
                "Organising the series of meetings: slot polls, sessions, agendas, info rounds, attendance, "
                "minutes, decisions, actions, cooperation needs and the confidentiality charter."
            ),
            interest,
            _("Coordinators and staff of the participating operators."),
            portal + " " + _("Series under a charter: only the people who signed it."),
            [meetings],
            ("meetings",),
        ),
        Activity(
            "registrations",
            _("Registrations of individual participants"),
            _(
                "Registering professionals in their own name to open series and sessions, "
                "with places and waiting lists."
            ),
            interest,
            _("Individual professionals, with their organisation and profession."),
            _("The coordinators of the series."),
            [
                _(
                    "A registration to what has not happened yet goes with the account; one to a session held "
                    "stays with the series' record, under a pseudonym after erasure."
                ),
                accounts,
            ],
            ("registrations",),
        ),
        Activity(
            "evaluations",
            _("Evaluations of the pilots"),
            _("Evaluating a pilot with its operators: questionnaires, indicators, a report written together."),
            interest,
            _("Coordinators and staff of the operators who answer and write."),
            _("The coordinators, the operators of the series and the platform's administrators (exports)."),
            [meetings, exports],
            ("evaluations",),
        ),
        Activity(
            "notifications",
            _("Notifications and digests"),
            _("Sending the emails about the meetings (invitations, reminders, digests), each kind can be turned off."),
            interest,
            _("Every person with an account."),
            _("The email service that delivers the messages (a processor)."),
            [emails],
            ("notifications",),
        ),
        Activity(
            "bassins",
            _("Bassins, map of the network and open-doors week"),
            _(
                "Describing the bassins and their teams, showing the links between services, "
                "organising visits between services."
            ),
            interest,
            _("Members of the bassins' teams, staff of the services that host visits, visiting professionals."),
            _("Signed-in people of the portal; the hosts of a visit see its visitors."),
            [
                _(
                    "A place in a team goes with the account; a visit held stays as a link of the map, "
                    "under a pseudonym."
                ),
                accounts,
            ],
            ("bassins",),
        ),
        Activity(
            "clinical",
            _("Clinical concertations on anonymised situations"),
            _(
                "Presenting anonymised clinical situations to a concertation group under its charter, "
                "noting the avenues raised and the feedback given at later meetings."
            ),
            health,
            _(
                "The participants who propose and discuss situations; the people described, pseudonymised: "
                "no name, national register number, birth date or address is accepted."
            ),
            _(
                "Only the series' participants who accepted its current charter and signed in with a second "
                "factor; every view, change and purge is logged."
            ),
            [
                _(
                    "The texts of a situation are replaced by a mention of their deletion after the series' "
                    "retention (12 months after the last feedback by default); only the fact that it was "
                    "presented is kept."
                )
            ],
            ("clinical",),
        ),
        Activity(
            "consultations",
            _("Consultations and thematic concertations"),
            _(
                "Collecting the participants' proposals and expectations, grouping and answering them, "
                "publishing a synthesis and relaunching them in other series."
            ),
            interest,
            _("Participants of consultations and thematic concertations, and their coordinators."),
            _("The series' participants; the public, for the synthesis of a public series (without names)."),
            [meetings],
            ("consultations",),
        ),
        Activity(
            "helpdesk",
            _("Help desks of the bassins"),
            _(
                "Helping field workers with complex situations: requests, triage, follow-up with deadlines, "
                "contacts with services, hand-over to a concertation."
            ),
            health,
            _(
                "Field workers who ask for help, and the help-desk teams; the people described, pseudonymised "
                "by the same guard as the clinical situations."
            ),
            _("The requester and the bassin's help-desk team only; every view is logged."),
            [
                _(
                    "The texts of a request are deleted a set time after its closure (12 months by default); "
                    "its counts are kept for the bassin's figures."
                )
            ],
            ("helpdesk",),
        ),
        Activity(
            "audit",
            _("Audit trail and data-protection requests"),
            _("Showing who viewed, exported or changed what; answering requests for a copy of one's data or erasure."),
            legal_obligation(),
            _("Every person who acts in the portal."),
            _("The platform's administrators; the data-protection officer on request."),
            [audit, exports],
            ("core", "privacy"),
        ),
    ]


def _generated(app_label: str) -> Activity:
    name = str(apps.get_app_config(app_label).verbose_name)
    to_complete = _("To complete by the responsible organisation.")
    return Activity(
        app_label,
        name,
        to_complete,
        to_complete,
        to_complete,
        to_complete,
        [to_complete],
        (app_label,),
        generated=True,
    )


def security_measures() -> list[str]:
    measures = [
        _("Access by role, denied unless granted; what belongs to a series is invisible to people outside it."),
        _("Series under a confidentiality charter are open only to the people who signed its current version."),
        _("An audit trail of who viewed, exported or changed what, itself kept and exportable by administrators."),
        _("No personal or clinical content in emails, web addresses, logs or calendar files."),
        _("Confidential pages are not kept by the browser (Cache-Control: no-store)."),
        _("Erasure replaces the name by a pseudonym in the collective record; the retention rules run every night."),
    ]
    if settings.SECOND_FACTOR_REQUIRED:
        measures.insert(
            1, _("A second factor at sign-in for administrators, coordinators and members of series under a charter.")
        )
    return measures


def processing_record() -> ProcessingRecord:
    """The record as the configuration has it now: every app of the registry appears
    in one activity (a generated one when no activity names it)."""
    activities = _activities()
    covered = {label for activity in activities for label in activity.apps}
    registry_apps = _unique(key.partition(".")[0] for key in HOLDERS)
    activities += [_generated(label) for label in registry_apps if label not in covered]
    for activity in activities:
        activity.data = [c for label in activity.apps for c in data_categories(label)]
    activities[0].data.insert(0, _person_category())
    return ProcessingRecord(
        controller=settings.PRIVACY_CONTROLLER,
        dpo_email=settings.PRIVACY_DPO_EMAIL,
        generated_at=timezone.now(),
        activities=activities,
        security=security_measures(),
    )


def processing_record_docx(record: ProcessingRecord) -> bytes:
    """The record as a Word document the responsible organisation completes and signs."""
    import docx  # here: a weight on every worker otherwise

    out = docx.Document()
    title = _("Record of processing activities")
    out.core_properties.title = title
    out.add_heading(title, level=0)
    stamp = formats.day(record.generated_at)
    out.add_paragraph(_("GDPR article 30. Generated by Carrefour on %(date)s.") % {"date": stamp})
    out.add_paragraph(_("Responsible organisation: %(controller)s") % {"controller": record.controller})
    out.add_paragraph(_("Data-protection officer: %(email)s") % {"email": record.dpo_email})
    for activity in record.activities:
        out.add_heading(activity.name, level=1)
        if activity.generated:
            out.add_paragraph(_("Generated from the models of the application: to complete."))
        table = out.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        rows = [
            (_("Purpose"), activity.purpose),
            (_("Legal basis"), activity.basis),
            (_("Categories of people"), activity.people),
            (
                _("Categories of data"),
                "\n".join(
                    _("%(model)s: %(data)s") % {"model": c.label, "data": ", ".join(c.items)} for c in activity.data
                ),
            ),
            (_("Recipients"), activity.recipients),
            (_("Retention"), "\n".join(activity.retention)),
        ]
        for header, value in rows:
            cells = table.add_row().cells
            cells[0].text = str(header)
            cells[1].text = str(value)
    out.add_heading(_("Security measures"), level=1)
    for measure in record.security:
        out.add_paragraph(measure, style="List Bullet")
    out.add_heading(_("To complete and sign"), level=1)
    for line in (
        _("Processors (hosting, email delivery) and their location:"),
        _("Transfers outside the European Union:"),
        _("Date, name and signature of the responsible organisation:"),
    ):
        out.add_paragraph(line)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
