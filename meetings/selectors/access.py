"""Who sees which series and session, and which operators take part: the
reads that the rules and every other selector module build on (so they
import nothing else of meetings.selectors).

A series you are not part of does not exist for you: 404, not 403. One you
see but do not coordinate refuses its coordinators' pages with 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.selectors import user_operator_roles
from core.brussels import brussels_date
from core.request_cache import cached_on
from operators.models import Operator

from ..models import InfoRoundEntry, Participation, Series, Session


def coordinated_series_ids(user) -> set[int]:
    """Ids of the series the person coordinates (one query, once per request)."""
    if not user.is_authenticated:
        return set()
    return cached_on(user, "coordinated_series", lambda: set(user.coordinated_series.values_list("pk", flat=True)))


def participating_series_ids(user) -> set[int]:
    """Ids of the series the person takes part in now: through one of their
    operators, or in their own name as an individual participant (one query,
    once per request)."""
    if not user.is_authenticated:
        return set()
    return cached_on(
        user,
        "participating_series",
        lambda: set(
            Participation.objects.filter(operator_id__in=list(user_operator_roles(user)), until__isnull=True)
            .order_by()
            .values_list("series_id", flat=True)
            .union(individual_series(user).order_by().values_list("pk", flat=True))
        ),
    )


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


def series_get_for_user(user, public_id, perm: str = "meetings.view_series") -> Series:
    """The series at `public_id` if the person may `perm` it; 404 otherwise."""
    series = Series.objects.filter(public_id=public_id).first()
    if series is None or not user.has_perm(perm, series):
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


def session_operators(session: Session) -> list[Operator]:
    """The operators taking part in the series on the session's (Brussels) day,
    by name, plus those that wrote an entry for it and left since (one query)."""
    wrote = InfoRoundEntry.objects.filter(session=session)
    return list(
        Operator.objects.filter(
            Q(pk__in=_taking_part_on(session).values("operator_id")) | Q(pk__in=wrote.values("operator_id"))
        ).order_by("name", "pk")
    )


def operator_takes_part(session: Session, operator: Operator) -> bool:
    """Whether `operator` takes part in the series on the session's day."""
    return _taking_part_on(session).filter(operator=operator).exists()
