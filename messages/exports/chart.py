"""The progress chart sent with every summary: per unit, its deadlines by standing.

One horizontal stacked bar per unit splits the unit's deadlines that are due for work
(in scope, see ``storage.progress``) by standing (``labels.standing``: done on time,
done late, in progress, blocked, overdue, not started). Bars are shares of the unit's
whole, numbers in them are counts, and the total stands at the end of each bar. The
unit's name sits on its own line above the bar, across the whole width, because a phone
screen has no room for a column of names beside the bars.

Sized for a phone: 1080 pixels wide, text at 12 pt and 150 dpi (25 pixels). Telegram
shrinks a photo to 2560 pixels on its long side, so at most ``MAX_ROWS`` bars are drawn:
past that, the units that need attention most (most overdue, then blocked, then not
done) are drawn and the rest are summed in one last bar, "Các đơn vị khác".

The font is DejaVu Sans, which ships with matplotlib and has every Vietnamese glyph; it
is set explicitly so that no system font without them is picked. Drawing uses the Agg
canvas and the object API (no pyplot), so it needs no display and keeps no global state.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from dataclasses import dataclass

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from messages.dates import VN_TZ, full_date, number
from messages.exports.labels import CHART_STANDINGS, Standing, shorten, standing, standing_label
from messages.i18n import _, current_language, language
from storage.progress import PlanProgress
from storage.summary import PlanSummary

MIME_TYPE = "image/png"
FONT = "DejaVu Sans"
DPI = 150
WIDTH_IN = 7.2  # 1080 px at 150 dpi
ROW_IN = 0.56  # one unit: its name line and its bar
MAX_ROWS = 24
NAME_CHARS = 68  # what fits on one line of the full width at 12 pt, bold
TITLE_CHARS = 52  # and at 14 pt bold
LINE_IN = 0.3
COLOURS = {
    Standing.DONE_ON_TIME: "#2e7d32",
    Standing.DONE_LATE: "#9ccc65",
    Standing.IN_PROGRESS: "#1e88e5",
    Standing.BLOCKED: "#fb8c00",
    Standing.OVERDUE: "#d32f2f",
    Standing.NOT_STARTED: "#bdbdbd",
}
DARK_SEGMENTS = {Standing.DONE_ON_TIME, Standing.IN_PROGRESS, Standing.OVERDUE}


@dataclass(frozen=True)
class _Row:
    name: str
    code: str
    counts: Counter[Standing]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def chart_filename(progress: PlanProgress | PlanSummary) -> str:
    return f"tien-do-{progress.code}-{progress.now.astimezone(VN_TZ).date():%Y-%m-%d}.png"


def _summary_rows(summary: PlanSummary) -> dict[int, _Row]:
    """The units' standings as the database counted them (``storage.summary_queries``)."""
    rows = {}
    for unit in summary.units:
        counts: Counter[Standing] = Counter(
            {
                Standing.DONE_ON_TIME: unit.done_on_time,
                Standing.DONE_LATE: unit.done_late,
                Standing.IN_PROGRESS: unit.in_progress,
                Standing.BLOCKED: unit.blocked,
                Standing.OVERDUE: unit.overdue,
                Standing.NOT_STARTED: unit.not_started,
            }
        )
        rows[unit.unit.id] = _Row(unit.unit.name, unit.unit.code, +counts)
    return rows


def _rows(progress: PlanProgress | PlanSummary) -> list[_Row]:
    by_unit: dict[int, _Row] = {}
    if isinstance(progress, PlanSummary):
        by_unit = _summary_rows(progress)
    else:
        for entry in progress.in_scope:
            unit = entry.unit
            row = by_unit.setdefault(unit.id, _Row(unit.name, unit.code, Counter()))
            row.counts[standing(entry)] += 1

    def attention(row: _Row) -> tuple:
        late = row.counts[Standing.OVERDUE]
        undone = row.total - row.counts[Standing.DONE_ON_TIME] - row.counts[Standing.DONE_LATE]
        return (-late, -row.counts[Standing.BLOCKED], -undone, row.code)

    rows = sorted(by_unit.values(), key=attention)
    if len(rows) > MAX_ROWS:
        shown, rest = rows[: MAX_ROWS - 1], rows[MAX_ROWS - 1 :]
        others = _Row(
            _("Các đơn vị khác ({n} đơn vị)").format(n=len(rest)),
            "",
            sum((row.counts for row in rest), Counter()),
        )
        rows = [*shown, others]
    return rows


def build_chart(progress: PlanProgress | PlanSummary, lang: str | None = None) -> bytes:
    """The chart of ``progress`` as PNG bytes, its texts in ``lang`` (default: current)."""
    with (
        language(lang or current_language()),
        rc_context({"font.family": FONT, "font.size": 12}),
    ):
        return _draw(progress, _rows(progress))


def _header_lines(progress: PlanProgress | PlanSummary) -> list[tuple[str, float, str, str]]:
    """(text, size, weight, colour) of each line above the legend."""
    title = textwrap.wrap(progress.title, TITLE_CHARS, max_lines=2, placeholder="…")
    return [
        *((line, 14, "bold", "black") for line in title),
        (
            _("Tiến độ các đơn vị, tính đến {date}").format(date=full_date(progress.now)),
            12,
            "normal",
            "black",
        ),
        (_("Đơn vị có nhiều hạn chót quá hạn nhất xếp trên cùng."), 11, "normal", "#555555"),
        (_("Số trong thanh: số hạn chót; số cuối thanh: tổng số."), 11, "normal", "#555555"),
    ]


def _draw(progress: PlanProgress | PlanSummary, rows: list[_Row]) -> bytes:
    # Laid out from the top in inches: header lines, the legend (3 rows), then one
    # ROW_IN band per unit.
    lines = _header_lines(progress)
    header_in = 0.15 + LINE_IN * len(lines)
    legend_in = 1.0
    body_in = ROW_IN * max(len(rows), 2)
    height_in = header_in + legend_in + body_in + 0.1
    figure = Figure(figsize=(WIDTH_IN, height_in), dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)

    for index, (text, size, weight, colour) in enumerate(lines):
        y = 1 - (0.15 + LINE_IN * index) / height_in
        figure.text(0.5, y, text, ha="center", va="top", size=size, weight=weight, color=colour)
    handles = [Patch(color=COLOURS[s], label=standing_label(s)) for s in CHART_STANDINGS]
    figure.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 1 - header_in / height_in),
        ncols=2,
        frameon=False,
        fontsize=12,
        handlelength=1.2,
        columnspacing=1.5,
    )

    axes = figure.add_axes((0.03, 0.1 / height_in, 0.94, body_in / height_in), frame_on=False)
    axes.set_xticks([])
    axes.set_yticks([])
    if not rows:
        axes.text(
            0.5,
            0.5,
            _("Chưa có hạn chót nào đến kỳ."),
            ha="center",
            va="center",
            transform=axes.transAxes,
        )
        return _png(figure)
    # Every bar is the unit's whole (100 %): a unit of 3 deadlines and the sum of 77 units
    # compare by shares; the numbers give the counts.
    axes.set_xlim(0, 1.09)
    axes.set_ylim(len(rows) - 0.5, -0.5)
    for i, row in enumerate(rows):
        axes.text(
            0,
            i - 0.06,
            shorten(row.name, NAME_CHARS),
            va="bottom",
            ha="left",
            weight="bold" if row.counts[Standing.OVERDUE] else "normal",
        )
        left = 0.0
        for key in CHART_STANDINGS:
            share = row.counts[key] / row.total
            if not share:
                continue
            axes.barh(
                i + 0.2,
                share,
                left=left,
                height=0.42,
                color=COLOURS[key],
                edgecolor="white",
                linewidth=1,
            )
            if share >= 0.06:
                colour = "white" if key in DARK_SEGMENTS else "black"
                axes.text(
                    left + share / 2,
                    i + 0.2,
                    number(row.counts[key]),
                    ha="center",
                    va="center",
                    color=colour,
                    size=11,
                )
            left += share
        axes.text(1.015, i + 0.2, number(row.total), va="center", size=11, color="#555555")
    return _png(figure)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    # No metadata: the same data gives the same bytes, whatever matplotlib version made it.
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()
