"""The capacity board of a series: the operators' capacity signals, week after week."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from core.fragments import TIMEOUT as FRAGMENT_TIMEOUT

from ..fragments import series_fragment_key
from ..selectors.access import series_get_for_user
from ..selectors.capacity import (
    CHART_HEIGHT,
    CHART_WIDTH,
    SATURATED_ALERT_WEEKS,
    capacity_board,
    capacity_board_reach,
)

# The sessions the board shows at once (a quarter of weekly sessions).
BOARD_WINDOW = 12


def _earlier(request) -> int:
    """How many windows back the person asked for (anything else: the latest)."""
    value = request.GET.get("earlier", "")
    return int(value) if value.isdigit() and len(value) < 6 else 0


@login_required
@require_safe
def series_capacity(request, series_id):
    series = series_get_for_user(request.user, series_id)
    now, earlier = timezone.now(), _earlier(request)
    # Read only when the cache misses: the grid and the chart are kept there
    # while the series' records, the names shown and the sessions the board
    # covers stay the same (meetings.fragments).
    board = SimpleLazyObject(lambda: capacity_board(series=series, now=now, window=BOARD_WINDOW, earlier=earlier))
    context = {
        "series": series,
        "board": board,
        "bars": SimpleLazyObject(lambda: board.chart_bars()),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "alert_weeks": SATURATED_ALERT_WEEKS,
        "can_change": request.user.has_perm("meetings.change_series", series),
        "board_key": series_fragment_key(
            "capacity-board", series.pk, earlier, capacity_board_reach(series=series, now=now)
        ),
        "fragment_timeout": FRAGMENT_TIMEOUT,
    }
    return render(request, "meetings/capacity.html", context)
