"""Reads of consultations: a session's items by theme, a person's contributions,
a series' syntheses and open items, each with a bounded number of queries."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings.models import Participation, Series, Session, Visibility
from meetings.origins import Origin

from .models import Collection, Contribution, Forward, Synthesis, Theme
from .rules import is_author

ITEMS_PER_PAGE = 50
# A session has at most this many themes (the board shows them all).
MAX_THEMES = 30


def collection_open(session: Session) -> bool:
    """Whether participants may still state, edit and withdraw contributions (open until closed)."""
    return not Collection.objects.filter(session=session, is_open=False).exists()


def items_of(session: Session) -> QuerySet[Contribution]:
    """The session's items: contributions neither withdrawn nor merged into another."""
    return Contribution.objects.filter(session=session, withdrawn_at__isnull=True, merged_into__isnull=True)


def contribution_get_for_author(user, public_id) -> Contribution:
    """A person's own contribution (404 for anyone else)."""
    contribution = Contribution.objects.select_related("session", "session__series").filter(public_id=public_id).first()
    # Its author's alone: not even an admin's (the rules' superuser shortcut is not asked here).
    if contribution is None or not is_author(user, contribution):
        raise Http404
    return contribution


def item_get_to_manage(user, public_id) -> Contribution:
    """An item for the coordinators of its series: 404 when the person does not take part
    in its session, 403 when they do without coordinating."""
    item = Contribution.objects.select_related("session", "session__series", "theme").filter(public_id=public_id)
    item = item.first()
    if item is None:
        raise Http404
    session_get_to_manage(user, item.session.public_id)
    return item


def my_contributions(user, session: Session) -> list[Contribution]:
    """The person's own contributions to the session, with the item each became (bounded)."""
    return list(
        Contribution.objects.filter(session=session, author=user, withdrawn_at__isnull=True)
        .select_related("merged_into")
        .order_by("created_at", "pk")[:100]
    )


def _with_sources(queryset: QuerySet[Contribution]) -> QuerySet[Contribution]:
    sources = Contribution.objects.order_by("pk").only("pk", "text", "merged_into_id", "organisation")
    forwards = Forward.objects.select_related("series", "session", "need").order_by("pk")
    return queryset.select_related("answered_by", "author").prefetch_related(
        Prefetch("sources", queryset=sources), Prefetch("forwards", queryset=forwards)
    )


@dataclass
class Board:
    session: Session
    themes: list[Theme]
    page: Page
    counts: dict = field(default_factory=dict)
    is_open: bool = True


def board(session: Session, *, page: int | str = 1, theme: str = "") -> Board:
    """The coordinators' board: every theme, and a page of items (all, one theme's or the unsorted)."""
    themes = list(
        Theme.objects.filter(session=session).annotate(n=Count("items", filter=_item_q("items__")))[:MAX_THEMES]
    )
    items = _with_sources(items_of(session).select_related("theme")).order_by(
        "theme__position", "theme_id", "position", "pk"
    )
    if theme == "none":
        items = items.filter(theme__isnull=True)
    elif theme.isascii() and theme.isdigit() and len(theme) < 10:
        items = items.filter(theme_id=int(theme))
    counts = items_of(session).aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(status__in=Contribution.ANSWERED))
    )
    return Board(
        session=session,
        themes=themes,
        page=Paginator(items, ITEMS_PER_PAGE).get_page(page),
        counts=counts,
        is_open=collection_open(session),
    )


def _item_q(prefix: str) -> Q:
    return Q(**{f"{prefix}withdrawn_at__isnull": True, f"{prefix}merged_into__isnull": True})


@dataclass
class SynthesisDocument:
    session: Session
    synthesis: Synthesis
    themes: list[Theme]
    unsorted: list[Contribution]
    participants: int  # the people known to have contributed or registered (pasted items have no author)
    organisations: list[str]
    contributions: int = 0


def synthesis_get(session: Session) -> Synthesis:
    return Synthesis.objects.filter(session=session).first() or Synthesis(session=session)


def synthesis_document(session: Session) -> SynthesisDocument:
    """What the synthesis shows: its texts, the participants count and organisations, the themes
    with their items (and their merged sources) and answers (a fixed number of queries)."""
    items = list(_with_sources(items_of(session)).order_by("position", "pk"))
    themes = list(Theme.objects.filter(session=session))
    by_theme: dict[int, list[Contribution]] = {}
    for item in items:
        by_theme.setdefault(item.theme_id, []).append(item)
    for theme in themes:
        theme.item_list = by_theme.get(theme.pk, [])
    unsorted = by_theme.get(None, [])
    organisations, participants = _participants(session)
    return SynthesisDocument(
        session=session,
        synthesis=synthesis_get(session),
        themes=themes,
        unsorted=unsorted,
        participants=participants,
        organisations=organisations,
        contributions=len(items),
    )


def _participants(session: Session) -> tuple[list[str], int]:
    """The organisations named by the session's contributions and registrations, and how many
    people contributed or registered to it."""
    contributions = Contribution.objects.filter(session=session, withdrawn_at__isnull=True)
    registrations = session.series.registrations.filter(status="registered").filter(
        Q(session=session) | Q(session__isnull=True)
    )
    names = set(contributions.exclude(organisation="").values_list("organisation", flat=True))
    names |= set(registrations.values_list("organisation_name", flat=True))
    people = set(contributions.exclude(author=None).values_list("author_id", flat=True))
    people |= set(registrations.values_list("user_id", flat=True))
    return sorted(n for n in names if n), len(people)


def synthesis_recipients(session: Session) -> list[int]:
    """Ids of the people a published synthesis is sent to: the session's contributors and
    the series' (or session's) registered participants."""
    ids = set(Contribution.objects.filter(session=session).exclude(author=None).values_list("author_id", flat=True))
    ids |= set(
        session.series.registrations.filter(status="registered")
        .filter(Q(session=session) | Q(session__isnull=True))
        .values_list("user_id", flat=True)
    )
    return sorted(ids)


@dataclass
class SeriesOverview:
    series: Series
    sessions: list[Session]
    open_items: Page


def series_overview(series: Series, *, page: int | str = 1, public: bool = False) -> SeriesOverview:
    """Every session of the series with its synthesis, and the items still open across sessions."""
    sessions = list(Session.objects.filter(series=series).select_related("synthesis").order_by("starts_at")[:200])
    open_items = (
        Contribution.objects.filter(
            session__series=series,
            withdrawn_at__isnull=True,
            merged_into__isnull=True,
            status__in=[Contribution.Status.TO_EXAMINE, Contribution.Status.RETAINED, Contribution.Status.IN_PROGRESS],
        )
        .select_related("session", "theme")
        .order_by("session__starts_at", "position", "pk")
    )
    if public:
        open_items = open_items.filter(session__synthesis__published_at__isnull=False)
    return SeriesOverview(
        series=series, sessions=sessions, open_items=Paginator(open_items, ITEMS_PER_PAGE).get_page(page)
    )


def follow_up(session: Session) -> dict[str, list[Contribution]]:
    """The items of the series' previous session by answer status ("suivi des attentes")."""
    previous = (
        Session.objects.filter(series_id=session.series_id, starts_at__lt=session.starts_at)
        .order_by("-starts_at")
        .first()
    )
    grouped: dict[str, list[Contribution]] = {}
    if previous is None:
        return grouped
    for item in items_of(previous).order_by("position", "pk")[:500]:
        grouped.setdefault(item.get_status_display(), []).append(item)
    return grouped


def _session(public_id) -> Session | None:
    return Session.objects.select_related("series").filter(public_id=public_id).first()


def session_get_to_contribute(user, public_id) -> Session:
    """A session for those who take part in it (and its coordinators); 404 for anyone else."""
    session = _session(public_id)
    if session is None or not (
        user.has_perm("consultations.contribute", session) or user.has_perm("consultations.manage_session", session)
    ):
        raise Http404
    return session


def session_get_to_manage(user, public_id) -> Session:
    """A session for the coordinators of its series: 404 when the person does not take part, 403 otherwise."""
    session = session_get_to_contribute(user, public_id)
    if not user.has_perm("consultations.manage_session", session):
        raise PermissionDenied
    return session


def series_get_to_read(user, public_id) -> Series:
    """A series' consultation page: for those who take part, and everyone when the series is public."""
    series = Series.objects.filter(public_id=public_id).first()
    if series is None:
        raise Http404
    if series.visibility == Visibility.PUBLIC or user.has_perm("meetings.view_series", series):
        return series
    raise Http404


def synthesis_get_for_user(user, public_id) -> tuple[Session, bool]:
    """A session whose synthesis the person may read, and whether they may manage it: its
    coordinators always (the preview), once published those who take part in the session or
    its series, and everyone when the series is public. 404 otherwise."""
    session = _session(public_id)
    if session is None:
        raise Http404
    if user.has_perm("consultations.manage_session", session):
        return session, True
    published = Synthesis.objects.filter(session=session, published_at__isnull=False).exists()
    readers = (
        session.series.visibility == Visibility.PUBLIC
        or user.has_perm("consultations.contribute", session)
        or user.has_perm("meetings.view_series", session.series)
    )
    if published and readers:
        return session, False
    raise Http404


def next_session_of(series: Series, now) -> Session | None:
    """The series' next planned session after `now`."""
    planned = Session.objects.filter(series=series, status=Session.Status.PLANNED, starts_at__gt=now)
    return planned.order_by("starts_at").first()


def forward_targets(user, series: Series) -> QuerySet[Series]:
    """The other series the person coordinates, where an item may be relaunched."""
    return user.coordinated_series.exclude(pk=series.pk).order_by("name")


def forward_operators(targets) -> list[tuple[Series, list]]:
    """Per target series, the operators taking part in it now (one query): who may raise a
    cooperation need there."""
    rows = (
        Participation.objects.filter(series__in=targets, until__isnull=True)
        .select_related("operator")
        .order_by("operator__name", "pk")
    )
    by_series: dict[int, list] = {}
    for row in rows:
        by_series.setdefault(row.series_id, []).append(row.operator)
    return [(series, by_series.get(series.pk, [])) for series in targets]


RETAINED = (Contribution.Status.RETAINED, Contribution.Status.IN_PROGRESS, Contribution.Status.DONE)


def consultation_indicators(series: Series) -> dict:
    """The evaluation's indicators of a consultation (one query): contributions per session
    (withdrawn ones and merged items left out, the merged sources counted), the share of items
    answered and retained (retained, in progress or done), and the median days to answer."""
    rows = list(
        Contribution.objects.filter(session__series=series, withdrawn_at__isnull=True)
        .annotate(n_sources=Count("sources"))
        .values_list("session_id", "merged_into_id", "n_sources", "status", "created_at", "answered_at")
    )
    per_session: dict[int, int] = {}
    for session_id, _merged, n_sources, *_rest in rows:
        if not n_sources:
            per_session[session_id] = per_session.get(session_id, 0) + 1
    items = [row for row in rows if row[1] is None]
    answered = [row for row in items if row[3] in Contribution.ANSWERED]
    delays = sorted((row[5] - row[4]).total_seconds() / 86400 for row in answered if row[5])
    median = None
    if delays:
        middle = len(delays) // 2
        median = round(delays[middle] if len(delays) % 2 else (delays[middle - 1] + delays[middle]) / 2, 1)
    return {
        "contributions": sum(per_session.values()),
        "per_session": round(sum(per_session.values()) / len(per_session), 1) if per_session else None,
        "items": len(items),
        "answered": round(len(answered) / len(items), 4) if items else None,
        "retained": round(sum(1 for row in items if row[3] in RETAINED) / len(items), 4) if items else None,
        "median_days_to_answer": median,
    }


def registration_questions(series: Series) -> list:
    """The series' registration questions, each with whether its answers become contributions."""
    return list(series.registration_questions.select_related("contribution_flag").order_by("position", "pk"))


def forward_origins(user, *, session=None, need=None) -> list:
    """The link back from the agenda items of `session` (or from `need`) relaunched from a
    consultation, for those who may see the source (two queries at most): its coordinators
    reach the item's page; once the synthesis is published, those who may read it reach the
    synthesis. Nobody else sees where it came from."""
    if session is None and need is None:
        return []
    forwards = Forward.objects.filter(agenda_item__isnull=False, session=session) if session else None
    if need is not None:
        forwards = Forward.objects.filter(need=need)
    # Most sessions and needs have none: a light query first (a tenth of the
    # cost of building the one below), the rows themselves only when it found some.
    found = list(forwards.values_list("pk", flat=True))
    if not found:
        return []
    forwards = Forward.objects.filter(pk__in=found)
    published = Synthesis.objects.filter(session=OuterRef("item__session"), published_at__isnull=False)
    forwards = forwards.select_related("item__session__series", "agenda_item", "need").annotate(
        published=Exists(published)
    )
    origins = []
    for forward in forwards.order_by("pk"):
        source = forward.item.session
        title = forward.need.title if forward.need_id else forward.agenda_item.title
        names = {"series": source.series.name}
        if user.has_perm("consultations.manage_session", source):
            url = reverse("consultations:item_answer", args=[forward.item.public_id])
            origins.append(Origin(title, _("the item in “%(series)s”") % names, url))
        elif forward.published and (
            source.series.visibility == Visibility.PUBLIC
            or user.has_perm("consultations.contribute", source)
            or user.has_perm("meetings.view_series", source.series)
        ):
            url = reverse("consultations:synthesis", args=[source.public_id])
            origins.append(Origin(title, _("the synthesis of “%(series)s”") % names, url))
    return origins
