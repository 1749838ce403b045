"""The evaluation charts as drawn: the legend never hides a bar."""

from evaluations.charts import chart_figure, info_round_chart


def _indicators(rows: list[tuple[str, float, float]]) -> dict:
    per_operator = [
        {"operator": name, "submitted": 3, "expected": 3, "completion": completion, "punctuality": punctuality}
        for name, completion, punctuality in rows
    ]
    return {"info_round": {"per_operator": per_operator, "completion": 1.0, "punctuality": 1.0}}


def test_the_legend_sits_clear_of_every_bar_and_inside_the_picture():
    # Full bars everywhere: the last operator's reach the lower right corner, where the legend used to sit.
    for rows in (
        [("Canopée", 1.0, 1.0), ("Polaris", 1.0, 1.0), ("Fil rouge", 1.0, 1.0)],
        [("Canopée", 1.0, 1.0)],
        [(f"Opérateur {n}", 1.0, 1.0) for n in range(12)],
    ):
        figure = chart_figure(info_round_chart(_indicators(rows)))
        figure.canvas.draw()
        ax = figure.axes[0]
        legend = ax.get_legend().get_window_extent()
        bars = [patch.get_window_extent() for patch in ax.patches]
        assert len(bars) == 2 * len(rows)
        assert not [bar for bar in bars if legend.overlaps(bar)]
        assert legend.y0 >= ax.get_window_extent().y1  # above the plot area
        assert figure.bbox.contains(legend.x0, legend.y0) and figure.bbox.contains(legend.x1, legend.y1)
