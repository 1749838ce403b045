"""Writes on operators and their teams: each function owns one change."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.services import audit_record
from core.tasks import email_send_later
from core.text import fold

from .fragments import directory_changed
from .models import MembershipRole, Operator, OperatorMembership, OperatorPublic, OperatorTerritory

CONTACT_FIELDS = ("description", "street", "postal_code", "city", "phone", "email", "website")
RECORD_FIELDS = ("name", "short_name", "institution", "kind", "territory", "is_active", *CONTACT_FIELDS)


class EditConflict(Exception):
    """Someone saved the record since the editor loaded it."""

    def __init__(self, current):
        super().__init__("edit conflict")
        self.current = current


def operator_search_text(operator: Operator) -> str:
    """The folded text the directory searches: names, institution, description, city, territory."""
    parts = [
        operator.name,
        operator.short_name,
        operator.institution,
        operator.description,
        operator.city,
        operator.territory.name if operator.territory_id else "",
    ]
    return fold(" ".join(p for p in parts if p))


def _unique_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "operator"
    slug, n = base, 2
    while Operator.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _set_publics(operator: Operator, publics) -> None:
    wanted = set(publics)
    operator.publics.exclude(public__in=wanted).delete()
    existing = set(operator.publics.values_list("public", flat=True))
    OperatorPublic.objects.bulk_create([OperatorPublic(operator=operator, public=p) for p in sorted(wanted - existing)])
    directory_changed()


def operator_set_served(*, operator: Operator, served) -> None:
    """Make the territories `operator` serves exactly `served`, (territory, bassin
    or None) pairs. A bassin is the part of a municipality split between bassins:
    it must be one of those sharing it, and is refused for any other territory."""
    rows = []
    for territory, bassin in served:
        if bassin is not None and not territory.split_between.filter(pk=bassin.pk).exists():
            raise ValidationError(
                _("%(bassin)s does not share %(territory)s.") % {"bassin": bassin.name, "territory": territory.name}
            )
        rows.append(OperatorTerritory(operator=operator, territory=territory, bassin=bassin))
    operator.served.all().delete()
    OperatorTerritory.objects.bulk_create(rows)
    directory_changed()


@transaction.atomic
def operator_create(*, actor, publics=(), served=(), **fields) -> Operator:
    """Create an operator with a unique slug and its search text."""
    operator = Operator(**{k: v for k, v in fields.items() if k in RECORD_FIELDS})
    operator.slug = _unique_slug(operator.name)
    operator.search_text = operator_search_text(operator)
    operator.full_clean()
    operator.save()
    _set_publics(operator, publics)
    operator_set_served(operator=operator, served=served)
    audit_record(actor=actor, action="operator.create", obj=operator)
    return operator


@transaction.atomic
def operator_update(*, actor, operator: Operator, version: int, publics=None, served=None, **fields) -> Operator:
    """Save changed fields if nobody else saved since `version`.

    Raises EditConflict (with the record as it now is) when the version is
    stale: the caller shows both texts and nothing is overwritten.
    """
    allowed = RECORD_FIELDS if actor.has_perm("operators.change_operator", operator) else CONTACT_FIELDS
    changes = {k: v for k, v in fields.items() if k in allowed}
    for key, value in changes.items():
        setattr(operator, key, value)
    operator.search_text = operator_search_text(operator)
    operator.full_clean(exclude=["slug"])
    updated = Operator.objects.filter(pk=operator.pk, version=version).update(
        **changes, search_text=operator.search_text, version=F("version") + 1
    )
    if not updated:
        raise EditConflict(Operator.objects.select_related("territory").get(pk=operator.pk))
    directory_changed()
    if publics is not None and "kind" in allowed:
        _set_publics(operator, publics)
    if served is not None and "kind" in allowed:
        operator_set_served(operator=operator, served=served)
    operator.refresh_from_db()
    audit_record(actor=actor, action="operator.update", obj=operator, detail={"fields": sorted(changes)})
    return operator


class MembershipChange(StrEnum):
    """What the referents' email says happened to their team."""

    ADDED = "added"
    ROLE = "role"
    REMOVED = "removed"


def membership_referents_notify(*, operator: Operator, change: str, role: str, actor) -> None:
    """Tell the operator's referents, after commit, that its team changed.

    The email names no one (emails leave the platform): it says what changed and
    links to the team page, where a referent sees who. The actor is not told of
    their own change.
    """
    referents = list(
        operator.memberships.filter(role=MembershipRole.REFERENT, user__is_active=True)
        .exclude(user=actor)
        .values_list("user__email", "user__language")
    )
    context = {
        "operator_name": operator.name,
        "change": change,
        "role": role,
        "members_path": reverse("operators:members", kwargs={"slug": operator.slug}),
    }
    for email, language in referents:
        email_send_later(template="membership_changed", to=email, language=language, context=context)


def membership_add(*, actor, operator: Operator, user, role: str = MembershipRole.MEMBER) -> OperatorMembership:
    """Make `user` a member of `operator` (keeping an existing role); its referents are told."""
    membership, created = OperatorMembership.objects.get_or_create(
        operator=operator, user=user, defaults={"role": role}
    )
    if created:
        audit_record(actor=actor, action="membership.add", obj=operator, detail={"user": user.pk, "role": role})
        membership_referents_notify(operator=operator, change=MembershipChange.ADDED, role=role, actor=actor)
    return membership


def _require_manage(actor, operator: Operator) -> None:
    if not actor.has_perm("operators.manage_members", operator):
        raise PermissionDenied


def _guard_last_referent(membership: OperatorMembership) -> None:
    if membership.role != MembershipRole.REFERENT:
        return
    others = membership.operator.memberships.filter(role=MembershipRole.REFERENT).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(_("An operator keeps at least one referent: name another referent first."))


@transaction.atomic
def membership_change_role(*, actor, membership: OperatorMembership, role: str) -> OperatorMembership:
    """Change a member's role; the last referent cannot step down; the referents are told.

    Raises PermissionDenied unless the actor may manage this team, and when a
    person other than an admin or a referent of the team changes their own role.
    """
    _require_manage(actor, membership.operator)
    if membership.user_id == actor.pk and not actor.has_perm("operators.change_own_role", membership.operator):
        raise PermissionDenied
    if role not in MembershipRole.values:
        raise ValidationError(_("Unknown role."))
    if role != membership.role:
        _guard_last_referent(membership)
        membership.role = role
        membership.save(update_fields=["role"])
        audit_record(actor=actor, action="membership.role", obj=membership, detail={"role": role})
        membership_referents_notify(operator=membership.operator, change=MembershipChange.ROLE, role=role, actor=actor)
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: OperatorMembership) -> None:
    """Remove a person from an operator; the last referent cannot be removed; the referents are told."""
    _require_manage(actor, membership.operator)
    _guard_last_referent(membership)
    audit_record(
        actor=actor,
        action="membership.remove",
        obj=membership.operator,
        detail={"user": membership.user_id},
    )
    membership.delete()
    membership_referents_notify(
        operator=membership.operator, change=MembershipChange.REMOVED, role=membership.role, actor=actor
    )


def operator_reindex(*, operator: Operator) -> None:
    """Recompute the search text after an edit made outside these services (the admin)."""
    Operator.objects.filter(pk=operator.pk).update(search_text=operator_search_text(operator))
