"""What the privacy notice says: the purposes with their legal basis, the
retention periods read from the settings, the default texts of the
responsible organisation. One place, so the page never says otherwise than
the configuration."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evaluations.exports import EXPORT_LIFETIME

from .models import NoticeText


@dataclass(frozen=True)
class Purpose:
    name: str
    data: str
    basis: str


def duration_words(days: int) -> str:
    """A number of days as a person says it: "2 ans", "30 jours", "18 mois"."""
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    if days >= 30 and days % 30 == 0:
        months = days // 30
        return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def legitimate_interest() -> str:
    return _(
        "Legitimate interest of the responsible organisation in coordinating its network (GDPR art. 6.1.f), "
        "or a task in the public interest when it is a public body (art. 6.1.e)."
    )


def legal_obligation() -> str:
    return _("Legal obligation to secure the data and to show it (GDPR art. 5.2 and 32).")


def purposes() -> list[Purpose]:
    interest = legitimate_interest()
    return [
        Purpose(
            _("Your account and signing in"),
            _("Name, email address, language, organisation and role, date of the last sign-in."),
            interest,
        ),
        Purpose(
            _("Organising the meetings"),
            _(
                "Series you take part in, attendance, minutes, info-round entries, cooperation needs, "
                "actions and decisions you are named in."
            ),
            interest,
        ),
        Purpose(
            _("Emails about the meetings"),
            _("Which message was sent to you and when; each kind can be turned off in your preferences."),
            interest,
        ),
        Purpose(
            _("Anonymised clinical situations"),
            _(
                "Vignettes without any identifying data, visible only to the signatories of the series' charter; "
                "pseudonymised data remain health data."
            ),
            _(
                "Management of health and social care services (GDPR art. 9.2.h), "
                "under professional secrecy and the series' charter."
            ),
        ),
        Purpose(
            _("Evaluating a pilot"),
            _("Answers given on behalf of an operator and figures computed from the meetings."),
            interest,
        ),
        Purpose(
            _("Security and accountability"),
            _("The audit trail: who viewed, exported or changed what, and when."),
            legal_obligation(),
        ),
    ]


def retention_rows() -> list[tuple[str, str]]:
    return list(retention_texts().values())


def retention_texts() -> dict[str, tuple[str, str]]:
    """Each retention rule, titled, its periods read from the settings (keys: accounts,
    emails, audit, exports, meetings)."""
    warn = settings.RETENTION_INACTIVE_WARN_DAYS
    deactivate = settings.RETENTION_INACTIVE_DEACTIVATE_DAYS
    erase = settings.RETENTION_INACTIVE_ERASE_DAYS
    return {
        "accounts": (
            _("Accounts"),
            _(
                "Without a sign-in for %(warn)s, you are warned by email; the account is deactivated "
                "%(deactivate)s later, then erased %(erase)s after that unless you sign in again."
            )
            % {"warn": duration_words(warn), "deactivate": duration_words(deactivate), "erase": duration_words(erase)},
        ),
        "emails": (
            _("Emails sent"),
            _("The record of each email sent is deleted after %(period)s.")
            % {"period": duration_words(settings.RETENTION_NOTIFICATION_DAYS)},
        ),
        "audit": (
            _("Audit trail"),
            _("Kept %(period)s, then deleted.") % {"period": duration_words(settings.RETENTION_AUDIT_DAYS)},
        ),
        "exports": (
            _("Exported files"),
            _("Exports of an evaluation and copies of your data are removed after %(period)s.")
            % {"period": duration_words(EXPORT_LIFETIME.days)},
        ),
        "meetings": (
            _("Meetings"),
            _(
                "Minutes, attendance, decisions and actions are the collective record of a series and stay with it; "
                "when an account is erased, a pseudonym replaces the person's name there."
            ),
        ),
    }


def default_text(language: str) -> NoticeText:
    """The texts shown until an administrator writes the organisation's own (unsaved)."""
    return NoticeText(
        language=language,
        introduction=_(
            "%(controller)s runs this Carrefour portal to coordinate the meetings of its network: "
            "it decides why and how your personal data are used, and answers for it."
        )
        % {"controller": settings.PRIVACY_CONTROLLER},
        complement="",
    )


def notice_text(language: str) -> NoticeText:
    """The organisation's texts in `language`, or the default ones."""
    return NoticeText.objects.filter(language=language).first() or default_text(language)
