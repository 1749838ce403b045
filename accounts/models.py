import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from operators.models import MembershipRole


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class CalendarAlarm(models.IntegerChoices):
    """How long before a session calendar applications remind the person
    (the VALARM of their calendar files and feed), in minutes."""

    MINUTES_15 = 15, _("15 minutes before")
    HOUR_1 = 60, _("1 hour before")
    DAY_1 = 1440, _("1 day before")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person: signs in with an email address, has no username."""

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.FRENCH)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # Notification preferences: the kinds turned off, and the weekday of the
    # digest (0 = Monday; empty: no digest).
    notifications_off = models.JSONField(_("notifications turned off"), default=list, blank=True)
    digest_weekday = models.PositiveSmallIntegerField(_("weekly digest"), null=True, blank=True, default=0)
    # The alarm of the person's calendar files, minutes before a session (empty: none).
    calendar_alarm = models.PositiveSmallIntegerField(
        _("calendar alarm"), choices=CalendarAlarm.choices, null=True, blank=True, default=None
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(digest_weekday__isnull=True) | models.Q(digest_weekday__lte=6),
                name="user_digest_weekday_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(calendar_alarm__isnull=True) | models.Q(calendar_alarm__in=CalendarAlarm.values),
                name="user_calendar_alarm_valid",
            ),
        ]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name.split(" ")[0] if self.name else self.email


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """An invitation to take part in Carrefour, usually for an operator.

    Only a hash of the secret token is stored: the link in the email is the
    only place the token exists in clear.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("email address"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, default=Language.FRENCH)
    operator = models.ForeignKey(
        "operators.Operator",
        verbose_name=_("operator"),
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, blank=True)
    as_coordinator = models.BooleanField(_("coordinator"), default=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # Set when an email is due; the sending task claims it by clearing it.
    send_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(operator__isnull=False) | models.Q(as_coordinator=True),
                name="invitation_has_purpose",
            ),
        ]
        indexes = [
            # Serves the "pending invitations of this operator" list.
            models.Index(fields=["operator", "-created_at"], name="invitation_operator_idx"),
        ]

    def __str__(self):
        return self.email

    @staticmethod
    def new_token() -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def hash_token(token: str) -> str:
        return _hash_token(token)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self):
        return self.Status(self.status).label
