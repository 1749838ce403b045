"""Every model that names a person, and what becomes of its rows when that
person asks for their data or closes their account.

One entry per model (its `app_label.model_name`), naming each of its foreign
keys to the person with what erasure does to the rows it points from, and the
columns the person's copy of their data holds. tests/privacy/test_registry.py
walks every model of the project and fails when a foreign key to the person
is missing here: a new model that holds people is added to this table.

The copies of names in published minutes (MinutesRevision.content) are
rewritten by privacy.erasure too. Erasure keeps the person's row, renamed to a pseudonym, so that every row the
table says to KEEP still reads (attendance, minutes, decisions, answers given
on behalf of an operator) and every count stays the same.
"""

from dataclasses import dataclass
from enum import Enum


class Erase(Enum):
    # The row is part of the collective record: it stays, naming the pseudonym.
    KEEP = "keep"
    # The row only concerned the person: it goes with their account.
    DELETE = "delete"
    # A service of privacy.erasure decides row by row (see ERASURE_STEPS there).
    CUSTOM = "custom"


@dataclass(frozen=True)
class Holder:
    """How one model holding a person is erased and exported.

    `fields`: each foreign key (or many-to-many) to the person, with its erasure.
    `export`: the columns of the person's copy (lookups allowed), for the rows
    any of `fields` points to them from; empty only with a `not_exported` reason.
    """

    fields: dict[str, Erase]
    export: tuple[str, ...] = ()
    not_exported: str = ""


KEEP, DELETE, CUSTOM = Erase.KEEP, Erase.DELETE, Erase.CUSTOM

HOLDERS: dict[str, Holder] = {
    # --- Django, allauth and core
    "admin.logentry": Holder(
        {"user": KEEP}, ("action_time", "content_type__model", "object_id", "action_flag", "change_message")
    ),
    "account.emailaddress": Holder({"user": DELETE}, ("email", "verified", "primary")),
    "mfa.authenticator": Holder({"user": DELETE}, ("type", "created_at", "last_used_at")),
    "core.auditevent": Holder({"actor": KEEP}, ("at", "action", "object_type", "object_id")),
    # --- people and operators
    "accounts.invitation": Holder(
        {"invited_by": KEEP, "accepted_by": CUSTOM}, ("created_at", "accepted_at", "operator__name", "as_coordinator")
    ),
    "operators.operatormembership": Holder({"user": DELETE}, ("operator__name", "role", "created_at")),
    "notifications.notification": Holder(
        {"recipient": DELETE}, ("kind", "object_type", "object_id", "period", "state", "due_at", "sent_at")
    ),
    # --- meetings
    "meetings.series": Holder({"created_by": KEEP, "coordinators": CUSTOM}, ("name", "kind", "created_at")),
    "meetings.joinrequest": Holder(
        {"requested_by": CUSTOM, "decided_by": KEEP},
        ("series__name", "operator__name", "message", "status", "created_at", "decided_at", "reply"),
    ),
    "meetings.slotpoll": Holder(
        {"created_by": KEEP, "closed_by": KEEP}, ("series__name", "title", "status", "created_at", "closed_at")
    ),
    "meetings.pollanswer": Holder(
        {"answered_by": KEEP},
        ("slot__poll__series__name", "slot__weekday", "slot__start_time", "operator__name", "choice", "answered_at"),
    ),
    # The charter (seed 002): acceptances are never deleted (a withdrawal is a new row); the
    # name signed reads as the pseudonym after erasure (privacy.erasure).
    "meetings.charter": Holder({"draft_updated_by": KEEP}, ("series__name", "draft_title", "draft_updated_at")),
    "meetings.charterversion": Holder(
        {"published_by": KEEP}, ("charter__series__name", "number", "title", "published_at")
    ),
    "meetings.charteracceptance": Holder(
        {"user": CUSTOM}, ("version__charter__series__name", "version__number", "kind", "signed_name", "at")
    ),
    "meetings.charterreminder": Holder({"sent_by": KEEP}, ("version__charter__series__name", "created_at")),
    # --- registrations (individual participants): a registration to what has not
    # happened yet only concerned the person and goes; one to a session held is part
    # of the record ("34 professionals attended") and stays, naming the pseudonym.
    "registrations.registration": Holder(
        {"user": CUSTOM, "decided_by": KEEP},
        ("series__name", "session__starts_at", "organisation_name", "profession", "status", "created_at"),
    ),
    "registrations.participantattendance": Holder(
        {"user": KEEP, "recorded_by": KEEP}, ("session__series__name", "session__starts_at", "status")
    ),
    # --- bassins: a place in a bassin's team goes like a membership; a visit booked at the
    # open-doors week goes unless it was held (it is a link of the map).
    "bassins.bassinmember": Holder({"user": DELETE}, ("bassin__name", "team", "role")),
    "bassins.statenote": Holder({"author": KEEP}, ("bassin__name", "title", "as_of", "created_at")),
    "bassins.opendoorsweek": Holder({"created_by": KEEP}, ("bassin__name", "starts_on", "ends_on")),
    "bassins.visitslot": Holder({"created_by": KEEP}, ("week__bassin__name", "host__name", "starts_at", "place")),
    "bassins.visitbooking": Holder(
        {"visitor": CUSTOM}, ("slot__week__bassin__name", "slot__host__name", "slot__starts_at", "status", "created_at")
    ),
    # Absences (issue 18): a person's own absences only concerned them; one where they stood
    # in or that they declared for their operator stays, naming the pseudonym.
    "meetings.absence": Holder(
        {"user": DELETE, "substitute": KEEP, "declared_by": KEEP},
        ("operator__name", "starts_on", "ends_on", "substitute__name", "created_at"),
    ),
    # A correction to provisional minutes is part of how the minutes were approved.
    "meetings.minutescorrection": Holder(
        {"author": KEEP, "decided_by": KEEP},
        ("minutes__session__series__name", "minutes__session__starts_at", "text", "status", "created_at"),
    ),
    "meetings.calendarfeed": Holder({"user": DELETE}, not_exported="Its only content is the secret token of the feed."),
    "meetings.agendatemplate": Holder(
        {"created_by": KEEP, "published_by": KEEP}, ("series__name", "version", "status", "created_at", "published_at")
    ),
    "meetings.agendaitem": Holder(
        {"notes_updated_by": KEEP},
        ("session__series__name", "session__starts_at", "title", "notes", "notes_updated_at"),
    ),
    "meetings.inforoundentry": Holder(
        {"submitted_by": KEEP, "updated_by": KEEP},
        (
            "session__series__name",
            "session__starts_at",
            "operator__name",
            "status",
            "submitted_at",
            "answers__question__prompt",
            "answers__text",
        ),
    ),
    "meetings.attendance": Holder(
        {"user": KEEP, "recorded_by": KEEP},
        ("session__series__name", "session__starts_at", "operator__name", "status", "recorded_at"),
    ),
    "meetings.minutes": Holder(
        {"updated_by": KEEP, "approved_by": KEEP, "published_by": KEEP},
        ("session__series__name", "session__starts_at", "status", "version", "approved_at", "published_at"),
    ),
    "meetings.minutesrevision": Holder(
        {"author": KEEP},
        ("minutes__session__series__name", "minutes__session__starts_at", "number", "status", "created_at"),
    ),
    "meetings.decision": Holder({"created_by": KEEP}, ("series__name", "text", "created_at")),
    "meetings.action": Holder(
        {"owner_user": KEEP, "created_by": KEEP, "closed_by": KEEP},
        ("series__name", "description", "owner_operator__name", "due_date", "status", "closed_at", "close_comment"),
    ),
    "meetings.cooperationneed": Holder({"created_by": KEEP}, ("series__name", "title", "description", "stage")),
    "meetings.needendorsement": Holder(
        {"endorsed_by": KEEP}, ("need__title", "operator__name", "comment", "created_at")
    ),
    "meetings.needmention": Holder({"created_by": KEEP}, ("need__title", "note", "created_at")),
    "meetings.needstagechange": Holder({"by": KEEP}, ("need__title", "from_stage", "to_stage", "at", "reason")),
    # --- evaluations
    "evaluations.evaluation": Holder(
        {"opened_by": KEEP, "finalised_by": KEEP}, ("series__name", "version", "opened_at", "finalised_at")
    ),
    "evaluations.response": Holder(
        {"updated_by": KEEP, "submitted_by": KEEP},
        (
            "evaluation__series__name",
            "operator__name",
            "status",
            "submitted_at",
            "answers__question__prompt",
            "answers__scale",
            "answers__selected",
            "answers__text",
        ),
    ),
    "evaluations.reportsection": Holder(
        {"updated_by": KEEP}, ("evaluation__series__name", "title", "version", "updated_at")
    ),
    "evaluations.sectionrevision": Holder({"author": KEEP}, ("section__title", "number", "body", "created_at")),
    "evaluations.sectioncomment": Holder({"author": KEEP}, ("section__title", "body", "created_at")),
    "evaluations.approval": Holder(
        {"approved_by": KEEP}, ("evaluation__series__name", "operator__name", "approved_at", "report_version")
    ),
    "evaluations.exportjob": Holder(
        {"requested_by": KEEP}, ("evaluation__series__name", "format", "status", "created_at")
    ),
    # --- consultations: a contribution is part of the synthesis its session published;
    # it stays, naming the pseudonym (its text was the person's own word on the work).
    "consultations.contribution": Holder(
        {"author": KEEP, "recorded_by": KEEP, "answered_by": KEEP},
        ("session__series__name", "session__starts_at", "kind", "text", "organisation", "status", "created_at"),
    ),
    "consultations.forward": Holder({"forwarded_by": KEEP}, ("series__name", "session__starts_at", "forwarded_at")),
    "consultations.synthesis": Holder(
        {"published_by": KEEP, "updated_by": KEEP}, ("session__series__name", "session__starts_at", "published_at")
    ),
    # --- clinical situations (health data): the copy names what the person did, never a text;
    # a text the person asked the carrier group to confirm only concerned them and goes.
    "clinical.situation": Holder({"author": KEEP}, ("series__name", "status", "created_at", "presented_at")),
    "clinical.recommendation": Holder({"noted_by": KEEP}, ("situation__series__name", "created_at")),
    "clinical.followup": Holder({"author": KEEP}, ("situation__series__name", "closes", "created_at")),
    "clinical.pendingtext": Holder(
        {"author": DELETE, "decided_by": KEEP}, ("series__name", "target", "status", "created_at", "decided_at")
    ),
    "clinical.meetingowner": Holder({"owner": KEEP}, ("session__series__name", "session__starts_at", "set_at")),
    "clinical.situationaccess": Holder({"user": KEEP}, ("situation__series__name", "action", "at")),
    # --- help desks: a request stays for the bassin's figures (its texts are purged after
    # closure, helpdesk.services.requests.requests_purge); the copy of the person's data
    # holds what they asked and when, never the situation's text.
    "helpdesk.helpdeskmember": Holder({"user": DELETE, "added_by": KEEP}, ("bassin__name", "created_at")),
    "helpdesk.request": Holder(
        {"requester": KEEP, "owner": KEEP},
        ("bassin__name", "created_at", "status", "need", "contact_preference", "contact_phone", "closed_at"),
    ),
    "helpdesk.requestmessage": Holder({"author": KEEP}, ("request__bassin__name", "kind", "created_at")),
    "helpdesk.contactmade": Holder(
        {"made_by": KEEP}, ("request__bassin__name", "operator__name", "result", "created_at")
    ),
    "helpdesk.requestevent": Holder({"actor": KEEP}, ("request__bassin__name", "action", "at")),
    "helpdesk.requestaccess": Holder({"user": KEEP}, ("request__bassin__name", "at")),
    # --- privacy
    "privacy.retentionnotice": Holder({"user": DELETE}, ("warned_at", "deactivated_at")),
    "privacy.dataexport": Holder({"user": DELETE}, ("requested_at", "status", "finished_at", "downloaded_at")),
}
