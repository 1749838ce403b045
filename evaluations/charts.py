"""The charts of the indicators, drawn on the server with matplotlib, so the
same picture serves the page (an <img> with a data: URI, which the CSP
allows), the PDF (SVG) and the DOCX (PNG).

Each chart comes with a text alternative and the data table it draws; the
table is shown beside it. Pictures are cached by their data and language.
"""

import base64
import hashlib
import io
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import formats
from meetings.models.needs import NeedStage

CACHE_SECONDS = 24 * 3600
COLOUR = "#1f4e79"
SECOND = "#8fb3d9"


@dataclass
class Chart:
    name: str
    title: str
    alt: str
    headers: list[str]
    rows: list[list]
    # Plotting data: labels and one or two series of values (0–100 or counts).
    labels: list[str]
    values: list[float]
    kind: str  # "line" or "barh"
    unit: str = "%"
    second: list[float] | None = None
    legend: tuple[str, str] | None = None

    def _key(self, fmt: str) -> str:
        raw = json.dumps([self.name, fmt, get_language(), self.labels, self.values, self.second, self.legend])
        return "evaluation-chart:" + hashlib.sha256(raw.encode()).hexdigest()

    def render(self, fmt: str = "svg") -> bytes:
        key = self._key(fmt)
        data = cache.get(key)
        if data is None:
            data = _draw(self, fmt)
            cache.set(key, data, CACHE_SECONDS)
        return data

    @property
    def svg_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.render("svg")).decode()

    @property
    def png(self) -> bytes:
        return self.render("png")


def chart_figure(chart: Chart):
    """The chart drawn on a matplotlib Figure, ready to save. A legend sits
    above the plot area, clear of the bars (inside it, it hid the last
    operator's)."""
    import matplotlib  # loaded on the first chart only: most requests draw none
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    matplotlib.rcParams.update(
        {"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none", "svg.hashsalt": "carrefour"}
    )
    height = 3.0 if chart.kind == "line" else max(1.6, 0.42 * len(chart.labels) + 0.9)
    if chart.legend:
        height += 0.3
    fig = Figure(figsize=(6.4, height), dpi=110)
    ax = fig.subplots()
    if chart.kind == "line":
        positions = list(range(len(chart.labels)))
        ax.plot(positions, chart.values, marker="o", color=COLOUR)
        ax.set_xticks(positions, chart.labels, rotation=45, ha="right")
        ax.set_ylim(0, 105)
    else:
        positions = list(range(len(chart.labels)))[::-1]
        if chart.second is not None:
            ax.barh([p + 0.2 for p in positions], chart.values, height=0.4, color=COLOUR, label=chart.legend[0])
            ax.barh([p - 0.2 for p in positions], chart.second, height=0.4, color=SECOND, label=chart.legend[1])
            ax.legend(loc="lower left", bbox_to_anchor=(0, 1.02), ncols=2, fontsize=8, frameon=False, borderaxespad=0)
        else:
            ax.barh(positions, chart.values, color=COLOUR)
        ax.set_yticks(positions, chart.labels)
        if chart.unit == "%":
            ax.set_xlim(0, 105)
    values_axis = ax.yaxis if chart.kind == "line" else ax.xaxis
    values_axis.set_major_formatter(FuncFormatter(lambda value, _position: formats.number(value)))
    if chart.unit != "%":
        values_axis.set_major_locator(MaxNLocator(integer=True))  # counts: no "1,5 besoin"
    ax.set_xlabel(chart.unit if chart.unit == "%" else "")
    ax.grid(axis="x" if chart.kind == "barh" else "y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _draw(chart: Chart, fmt: str) -> bytes:
    out = io.BytesIO()
    chart_figure(chart).savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


def _pct(value) -> float:
    return round((value or 0) * 100, 1)


def attendance_chart(indicators: dict) -> Chart:
    weeks = indicators["attendance"]["weeks"]
    rates = [w["rate"] for w in weeks if w["rate"] is not None]
    if rates:
        alt = _(
            "Attendance rate per week, %(count)s weeks from %(first)s to %(last)s: between %(low)s and %(high)s, "
            "%(overall)s overall."
        ) % {
            "count": len(weeks),
            "first": formats.day(weeks[0]["date"]),
            "last": formats.day(weeks[-1]["date"]),
            "low": formats.percent(min(rates)),
            "high": formats.percent(max(rates)),
            "overall": formats.percent(indicators["attendance"]["overall"]),
        }
    else:
        alt = _("No session held yet: no attendance to show.")
    return Chart(
        name="attendance",
        title=_("Attendance over the weeks"),
        alt=alt,
        headers=[_("Week of"), _("Operators present"), _("Operators expected"), _("Rate")],
        rows=[[formats.day(w["date"]), w["present"], w["expected"], formats.percent(w["rate"])] for w in weeks],
        labels=[formats.day_of_month(w["date"]) for w in weeks],
        values=[_pct(w["rate"]) for w in weeks],
        kind="line",
    )


def info_round_chart(indicators: dict) -> Chart:
    rows = indicators["info_round"]["per_operator"]
    if rows:
        low = min(rows, key=lambda r: r["completion"] or 0)
        high = max(rows, key=lambda r: r["completion"] or 0)
        alt = _(
            "Share of info rounds submitted per operator, from %(low_name)s (%(low)s) to %(high_name)s (%(high)s); "
            "%(overall)s overall, %(punctual)s of them in time."
        ) % {
            "low_name": low["operator"],
            "low": formats.percent(low["completion"]),
            "high_name": high["operator"],
            "high": formats.percent(high["completion"]),
            "overall": formats.percent(indicators["info_round"]["completion"]),
            "punctual": formats.percent(indicators["info_round"]["punctuality"]),
        }
    else:
        alt = _("No operator takes part yet.")
    return Chart(
        name="info_round",
        title=_("Info-round completion per operator"),
        alt=alt,
        headers=[_("Operator"), _("Submitted"), _("Sessions expected"), _("Completion"), _("Punctuality")],
        rows=[
            [
                r["operator"],
                r["submitted"],
                r["expected"],
                formats.percent(r["completion"]),
                formats.percent(r["punctuality"]),
            ]
            for r in rows
        ],
        labels=[r["operator"] for r in rows],
        values=[_pct(r["completion"]) for r in rows],
        second=[_pct(r["punctuality"]) for r in rows],
        legend=(_("Completion"), _("Punctuality")),
        kind="barh",
    )


def needs_chart(indicators: dict) -> Chart:
    funnel = indicators["needs"]["funnel"]
    labels = [str(NeedStage(f["stage"]).label) for f in funnel]
    alt = _("Cooperation needs that reached each stage: %(stages)s.") % {
        "stages": ", ".join(f"{label} {f['count']}" for label, f in zip(labels, funnel, strict=True))
    }
    return Chart(
        name="needs",
        title=_("The needs funnel by stage"),
        alt=alt,
        headers=[_("Stage reached"), _("Needs")],
        rows=[[label, f["count"]] for label, f in zip(labels, funnel, strict=True)],
        labels=labels,
        values=[f["count"] for f in funnel],
        kind="barh",
        unit="",
    )


def capacity_share_chart(indicators: dict) -> Chart:
    weeks = indicators.get("capacity", {}).get("weeks", [])
    if weeks:
        peak = max(weeks, key=lambda w: w["share"] or 0)
        alt = _(
            "Share of the operators saturated at each session, %(count)s sessions from %(first)s to %(last)s: "
            "at most %(high)s on %(peak)s, %(overall)s over the period."
        ) % {
            "count": len(weeks),
            "first": formats.day(weeks[0]["date"]),
            "last": formats.day(weeks[-1]["date"]),
            "high": formats.percent(peak["share"]),
            "peak": formats.day(peak["date"]),
            "overall": formats.percent(indicators["capacity"]["share"]),
        }
    else:
        alt = _("No capacity signal given: no share to show.")
    return Chart(
        name="capacity_share",
        title=_("Share of saturated operators over the period"),
        alt=alt,
        headers=[_("Session"), _("Saturated"), _("Signals given"), _("Share")],
        rows=[[formats.day(w["date"]), w["saturated"], w["signals"], formats.percent(w["share"])] for w in weeks],
        labels=[formats.day_of_month(w["date"]) for w in weeks],
        values=[_pct(w["share"]) for w in weeks],
        kind="line",
    )


def capacity_operators_chart(indicators: dict) -> Chart:
    rows = indicators.get("capacity", {}).get("per_operator", [])
    if rows and any(r["weeks_saturated"] for r in rows):
        most = max(rows, key=lambda r: r["weeks_saturated"])
        alt = _("Weeks saturated per operator: %(name)s the most, %(weeks)s weeks (at most %(run)s in a row).") % {
            "name": most["operator"],
            "weeks": most["weeks_saturated"],
            "run": most["longest_run"],
        }
    else:
        alt = _("No operator said it was saturated.")
    return Chart(
        name="capacity_operators",
        title=_("Weeks saturated per operator"),
        alt=alt,
        headers=[_("Operator"), _("Weeks saturated"), _("Longest run"), _("Signals given")],
        rows=[[r["operator"], r["weeks_saturated"], r["longest_run"], r["signals"]] for r in rows],
        labels=[r["operator"] for r in rows],
        values=[r["weeks_saturated"] for r in rows],
        kind="barh",
        unit="",
    )


def indicator_charts(indicators: dict) -> list[Chart]:
    return [
        attendance_chart(indicators),
        info_round_chart(indicators),
        needs_chart(indicators),
        capacity_share_chart(indicators),
        capacity_operators_chart(indicators),
    ]
