"""Writes on calendar feeds: the secret tokens that open a person's or a series' feed."""

from django.db import transaction

from core.permissions import require_perm
from core.services import audit_record

from ..models import CalendarFeed, Series


def _new_token(model, field: str = "token") -> str:
    # The model's own default: one place decides what a token looks like.
    return model._meta.get_field(field).get_default()


def feed_get_or_create(*, user) -> CalendarFeed:
    """The person's calendar feed; created with a fresh secret token if they have none.

    Never changes an existing token, so it is safe to call on every visit.
    """
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def feed_regenerate(*, user) -> CalendarFeed:
    """Give the person's feed a new token (creating the feed if needed).

    From the moment this returns, the previous URL answers 404.
    """
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = _new_token(CalendarFeed)
        feed.save(update_fields=["token"])
    audit_record(actor=user, action="calendar_feed.regenerate", obj=feed)
    return feed


@transaction.atomic
def feed_revoke(*, user) -> bool:
    """Delete the person's feed: its URL answers 404 from now on.

    Returns whether there was a feed to revoke; calling it twice is harmless.
    """
    deleted, _per_model = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=user, action="calendar_feed.revoke")
    return bool(deleted)


@transaction.atomic
def series_feed_regenerate(*, actor, series: Series) -> Series:
    """Give the series' feed a new token (when a coordinator leaves, or the URL leaked).

    Only who may change the series may do it. The previous URL answers 404
    from now on.
    """
    require_perm(actor, "meetings.change_series", series)
    series.feed_token = _new_token(Series, "feed_token")
    Series.objects.filter(pk=series.pk).update(feed_token=series.feed_token)
    audit_record(actor=actor, action="series.feed_regenerate", obj=series)
    return series
