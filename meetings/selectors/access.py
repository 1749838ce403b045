"""Who sees which series and session, and which operators take part: the
reads that the rules and every other selector module build on (so they
import nothing else of meetings.selectors).

A series you are not part of does not exist for you: 404, not 403. One you
see but do not coordinate refuses its coordinators' pages with 403.

The charter gate lives here too: a series whose charter is required (and
published) counts among the series a person takes part in only once they have
accepted its current version; until then every page of it sends them to the
charter (meetings/views/charter.py). It is read with the participations, in
the same query.
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from accounts.selectors import user_operator_roles
from core.brussels import brussels_date
from core.fragments import TIMEOUT, fragment_key
from core.permissions import RefusedUntil
from core.request_cache import cached_on
from operators.models import Operator

from ..fragments import ACCESS
from ..models import Charter, CharterAcceptance, InfoRoundEntry, Participation, Series, Session


def coordinated_series_ids(user) -> set[int]:
    """Ids of the series the person coordinates (one query, once per request)."""
    if not user.is_authenticated:
        return set()
    return cached_on(user, "coordinated_series", lambda: set(user.coordinated_series.values_list("pk", flat=True)))


def _participations_with_charter(user) -> dict[int, tuple[int | None, str | None]]:
    """{series id: (its charter's current version if required, the person's latest word on it)}
    for the series the person takes part in now, through an operator or in their own name
    (two queries, once per request)."""

    def read():
        gate = Charter.objects.filter(series=OuterRef("series_id"), required=True).values("current_version_id")[:1]
        said = CharterAcceptance.objects.filter(user=user, version_id=OuterRef("gate")).order_by("-at", "-pk")
        rows = (
            Participation.objects.filter(operator_id__in=list(user_operator_roles(user)), until__isnull=True)
            .annotate(gate=Subquery(gate))
            .annotate(said=Subquery(said.values("kind")[:1]))
            .values_list("series_id", "gate", "said")
        )
        # Individual participants are held back by the charter as the members of an operator are.
        own_gate = Charter.objects.filter(series=OuterRef("pk"), required=True).values("current_version_id")[:1]
        own = (
            individual_series(user)
            .annotate(gate=Subquery(own_gate))
            .annotate(said=Subquery(said.values("kind")[:1]))
            .values_list("pk", "gate", "said")
        )
        return {series_id: (gate, said) for series_id, gate, said in [*rows, *own]}

    def kept():
        # Kept in the cache for the person while no participation, membership,
        # registration or charter changes anywhere (ACCESS, meetings.fragments).
        key = fragment_key("participations-with-charter", (ACCESS,), user.pk)
        found = cache.get(key)
        if found is None:
            found = read()
            cache.set(key, found, TIMEOUT)
        return found

    if not user.is_authenticated:
        return {}
    return cached_on(user, "participations_with_charter", kept)


def charter_series_ids(user) -> set[int]:
    """Ids of the series the person takes part in whose charter is required, accepted or not."""
    return {sid for sid, (gate, _said) in _participations_with_charter(user).items() if gate is not None}


def charter_locked_series_ids(user) -> set[int]:
    """Ids of the series the person takes part in but may not see yet: their charter is
    required and the person has not accepted its current version (or withdrew). Their
    coordinators are never held back: they write the charter and accept it by publishing."""
    locked = {
        sid
        for sid, (gate, said) in _participations_with_charter(user).items()
        if gate is not None and said != CharterAcceptance.Kind.ACCEPTED
    }
    return locked - coordinated_series_ids(user) if locked else locked


def participating_series_ids(user) -> set[int]:
    """Ids of the series the person takes part in now — through one of their operators, or
    in their own name as an individual participant — less those whose charter they have
    not accepted (once per request)."""
    return set(_participations_with_charter(user)) - charter_locked_series_ids(user)


# Individual participants are registrations of the registrations app, which
# sits above meetings: read through the relation it declares on Series (as
# accounts reads meetings' relations), so that meetings need not import it.
# "registered" is its Registration.Status.REGISTERED.
def individual_series(user) -> QuerySet[Series]:
    """The series the person is registered to as a whole (an individual participant)."""
    return Series.objects.filter(
        registrations__user=user, registrations__session__isnull=True, registrations__status="registered"
    )


def registered_session_ids(user) -> set[int]:
    """Ids of the sessions the person is registered to one by one (once per request)."""
    if not user.is_authenticated:
        return set()
    return cached_on(
        user,
        "registered_sessions",
        lambda: set(
            Session.objects.filter(registrations__user=user, registrations__status="registered").values_list(
                "pk", flat=True
            )
        ),
    )


def participating_operator_ids(user, series: Series) -> list[int]:
    """The person's operators that take part in `series` now."""
    operator_ids = list(user_operator_roles(user))
    return list(
        Participation.objects.filter(series=series, operator_id__in=operator_ids, until__isnull=True).values_list(
            "operator_id", flat=True
        )
    )


def register_series(user) -> QuerySet[Series]:
    """The series whose decisions, actions and needs the person sees: those
    they coordinate or take part in; every series for admins."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Series.objects.order_by("name")
    return Series.objects.filter(pk__in=coordinated_series_ids(user) | participating_series_ids(user)).order_by("name")


def charter_refusal(user, series: Series) -> None:
    """Refuse, pointing to the charter page, a person the charter of `series` holds back."""
    if series.pk in charter_locked_series_ids(user):
        raise RefusedUntil(reverse("meetings:charter", kwargs={"series_id": series.public_id}))


def series_get_for_user(user, public_id, perm: str = "meetings.view_series") -> Series:
    """The series at `public_id` if the person may `perm` it; 404 otherwise (a refusal
    that leads to the charter when only its acceptance is missing)."""
    series = Series.objects.filter(public_id=public_id).first()
    if series is None or not user.has_perm(perm, series):
        if series is not None:
            charter_refusal(user, series)
        raise Http404
    return series


def series_get_to_change(user, public_id) -> Series:
    """The series at `public_id` for its coordinators: 404 when the person
    does not see it, 403 when they see it without coordinating it."""
    series = series_get_for_user(user, public_id)
    if not user.has_perm("meetings.change_series", series):
        raise PermissionDenied
    return series


def session_get_for_user(user, public_id, perm: str = "meetings.view_series", *, related: tuple = ()) -> Session:
    """The session at `public_id` (with its series, host and the `related`
    rows) if the person may `perm` its series; 404 otherwise."""
    session = Session.objects.select_related("series", "host_operator", *related).filter(public_id=public_id).first()
    if session is None or not user.has_perm(perm, session.series):
        if session is not None:
            charter_refusal(user, session.series)
        raise Http404
    return session


def session_get_to_change(user, public_id) -> Session:
    """The session at `public_id` for the coordinators of its series: 404
    when the person does not see it, 403 when they do not coordinate it."""
    session = session_get_for_user(user, public_id)
    if not user.has_perm("meetings.change_series", session.series):
        raise PermissionDenied
    return session


def _taking_part_on(session: Session):
    day = brussels_date(session.starts_at)
    return Participation.objects.filter(series_id=session.series_id, since__lte=day).filter(
        Q(until__isnull=True) | Q(until__gte=day)
    )


def session_operators(session: Session, among=None) -> list[Operator]:
    """The operators taking part in the series on the session's (Brussels) day,
    by name, plus those that wrote an entry for it and left since (one query);
    only those of `among` (ids) when given."""
    wrote = InfoRoundEntry.objects.filter(session=session)
    operators = Operator.objects.filter(
        Q(pk__in=_taking_part_on(session).values("operator_id")) | Q(pk__in=wrote.values("operator_id"))
    )
    if among is not None:
        operators = operators.filter(pk__in=among)
    return list(operators.order_by("name", "pk"))


def operator_takes_part(session: Session, operator: Operator) -> bool:
    """Whether `operator` takes part in the series on the session's day."""
    return _taking_part_on(session).filter(operator=operator).exists()
