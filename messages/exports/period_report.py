"""The draft of a periodic report (*báo cáo định kỳ*): ``/baocaoky``, ``nhacviec report``.

A plan obliges its issuer to report on it each quarter, half-year and year. This builds
the Word draft of that report from the plan's data, in the layout of Nghị định
30/2020/NĐ-CP (``docx_layout``, ``issuer``): heading, "BÁO CÁO" and its subject, then

I.   the results in figures: the period's tasks done, in progress, overdue and not
     reported, then the same per group of tasks (a parent task, or a section of the plan)
     with the results the units wrote (``report_groups``);
II.  what fell short and why: the overdue, late and blocked work and the units that sent
     no report, named, and the causes they gave (``report_outlook``);
III. what comes next: what falls due in the next period of the same length, the overdue
     work to finish, the ongoing duties (``report_outlook``);
IV.  proposals: left for the clerk, on a marked line "…";

and the closing "Trên đây là báo cáo ...", recipients and signature blocks; after them,
on a page of its own, the appendix (*phụ lục*): the task-by-task table of every unit's
standing and note (``report_appendix``). The body stays a few pages whatever the plan's
size; the appendix grows with it.

Which deadlines: those whose span meets the period (a continuous "Thường xuyên trong năm"
task belongs to every quarter of its year) and whose work had begun by the period's end.
What they say: the state as of the period's end (or now, if earlier): reports made
after it are set aside, since a report on the first quarter speaks of the first quarter.
The caller reads the progress as of that moment (``report_moment``) and the reports made up
to it (``bot.exports`` does it); the progress counts every report, so its entries are taken
back to that moment here, from those reports.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as DocumentType
from docx.text.paragraph import Paragraph

from messages.dates import VN_TZ
from messages.exports import docx_layout as layout
from messages.exports.issuer import describe_issuer, plan_subject
from messages.exports.labels import ascii_slug, xml_safe
from messages.exports.periods import ReportPeriod, next_period, period_phrase
from messages.exports.report_appendix import appendix
from messages.exports.report_groups import TaskGroup, figures, notable, task_groups, unit_figures
from messages.exports.report_outlook import Line, next_tasks, shortfalls
from messages.i18n import _, current_language, language
from storage.history import ReportRecord
from storage.models import Plan, ReportStatus
from storage.progress import Entry, PlanProgress
from storage.task_rows import TaskRow

MIME_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PROPOSALS_PLACEHOLDER = "…"  # the line the clerk replaces with the proposals


def report_filename(plan: Plan, period: ReportPeriod) -> str:
    return f"bao-cao-{plan.code}-{ascii_slug(period.label)}.docx"


def _as_of(entry: Entry, records: list[ReportRecord], moment: datetime) -> Entry:
    """``entry`` as it stood at ``moment``, from the unit's reports made up to then."""
    if entry.reported_at is None or entry.reported_at <= moment:
        return entry
    latest = records[-1] if records else None
    status = ReportStatus(latest.status) if latest else None
    return replace(
        entry,
        status=status,
        percent=latest.percent if latest else None,
        late=bool(latest and latest.late),
        reported_at=latest.created_at if latest else None,
        note=latest.note if latest else None,
        evidence_count=latest.evidence_count if latest else 0,
        report_count=len(records),
        overdue=entry.due_at is not None and entry.due_at < moment and status != ReportStatus.DONE,
    )


def _meets(entry: Entry, period: ReportPeriod, plan: Plan) -> bool:
    if entry.due_at is None:  # tracked only, with no date: it belongs to its plan's year
        start, end = period.start.astimezone(VN_TZ), period.end.astimezone(VN_TZ)
        return start.year <= plan.year <= end.year
    return (entry.start_at or entry.due_at) <= period.end and entry.due_at >= period.start


def report_moment(period: ReportPeriod, now: datetime) -> datetime:
    """The moment a report on ``period`` written at ``now`` speaks of: the period's end, or
    ``now`` if earlier. Its progress and reports are read as of this moment."""
    return min(now, period.end)


def entries_as_of(
    progress: PlanProgress, reports: Iterable[ReportRecord]
) -> tuple[list[Entry], dict[tuple[int, int], list[ReportRecord]]]:
    """Every entry of ``progress`` as it stood at ``progress.now``, and each unit's reports
    up to that moment by (occurrence id, unit id), oldest first; later ones are set aside."""
    moment = progress.now
    records: dict[tuple[int, int], list[ReportRecord]] = defaultdict(list)
    for record in sorted(reports, key=lambda r: r.created_at):
        if record.created_at <= moment:
            records[(record.occurrence_id, record.unit_id)].append(record)
    entries = [
        _as_of(entry, records[(entry.occurrence_id, entry.unit.id)], moment)
        for entry in progress.entries
    ]
    return entries, records


def period_entries(plan: Plan, period: ReportPeriod, entries: Iterable[Entry]) -> list[Entry]:
    """The entries a report on ``period`` speaks of: in scope, their span meeting it."""
    return [e for e in entries if _meets(e, period, plan) and e.in_scope]


class _Body:
    """Writes the body's paragraphs in the two body styles of ``docx_layout``."""

    def __init__(self, document: DocumentType) -> None:
        self.document = document
        self.plain = document.styles[layout.BODY_STYLE].style_id
        self.heading = document.styles[layout.HEADING_STYLE].style_id

    def __call__(self, text: str, *, heading: bool = False, italic: bool = False) -> Paragraph:
        """A paragraph; a ``heading`` is bold and stays on the page of what follows it."""
        paragraph = self.document.add_paragraph()
        # The style id goes straight on the paragraph: python-docx's ``style=`` looks up
        # the document's default style on every call, most of the time of a long report.
        paragraph._p.style = self.heading if heading else self.plain
        run = paragraph.add_run(xml_safe(text))
        if italic:
            run.italic = True
        return paragraph


def _write(body: _Body, lines: Iterable[Line]) -> None:
    for line in lines:
        body(line.text, heading=line.heading, italic=line.italic)


def _results(
    body: _Body, entries: list[Entry], rows: dict[int, TaskRow], period: ReportPeriod
) -> None:
    """Section I: the figures of the whole period, then of each group of tasks, with the
    results the units wrote."""
    groups = task_groups(entries, rows)
    everything = TaskGroup("", {t: e for group in groups for t, e in group.tasks.items()})
    body(figures(everything.states(), whole_period=True) + " " + unit_figures(entries))
    for position, group in enumerate(groups, start=1):
        body(f"{position}. {group.title}", heading=True)
        body(figures(group.states()))
        if lines := notable(group, period.start):
            body(_("Kết quả nổi bật:"), italic=True)
            for line in lines:
                body(line)


def build_period_report(
    plan: Plan,
    period: ReportPeriod,
    now: datetime,
    *,
    progress: PlanProgress,
    reports: Iterable[ReportRecord],
    tasks: Iterable[TaskRow],
    evidence_counts: Mapping[str, int] | None = None,
    lang: str | None = None,
) -> bytes:
    """The .docx draft of ``plan``'s report on ``period``, written at ``now``.

    ``progress`` is the plan's as of ``report_moment(period, now)``; ``reports`` its
    reports (those made after that moment are set aside); ``tasks`` its tasks with their
    units (``storage.queries.plan_tasks``); ``evidence_counts`` the files kept in the
    period, by task code. ``ValueError`` for a progress of another plan
    or another moment, which would make the report speak of the wrong time.
    """
    moment = report_moment(period, now)
    if progress.plan_id != plan.id or progress.now != moment:
        raise ValueError(
            f"progress of plan {progress.plan_id} at {progress.now:%Y-%m-%d %H:%M %Z}: the "
            f"report on {period.label} needs plan {plan.id} at {moment:%Y-%m-%d %H:%M %Z}"
        )
    with language(lang or current_language()):
        every_entry, records = entries_as_of(progress, reports)
        entries = period_entries(plan, period, every_entry)
        rows = {row.task.id: row for row in tasks if row.task.id}
        files = dict(evidence_counts or {})
        issuer = describe_issuer(plan.issuer)
        phrase = period_phrase(period)
        subject = plan_subject(plan.title)
        document = Document()
        layout.set_up_page(document)
        document.core_properties.title = _("Báo cáo {period}").format(period=period.label)
        document.core_properties.author = "nhacviec"
        # Stored in UTC; the export's moment (the injected clock's), not the wall clock's.
        document.core_properties.created = now.astimezone(UTC).replace(tzinfo=None)
        layout.heading_block(
            document,
            issuer.superior,
            issuer.body,
            _("Số:        /BC-{abbreviation}").format(abbreviation=issuer.abbreviation),
            layout.place_and_date(issuer.place, now.astimezone(VN_TZ).date()),
        )
        layout.line(document, after=6)
        layout.line(document, _("BÁO CÁO"), bold=True, size=14)
        layout.line(
            document,
            _("Kết quả thực hiện {subject} {period}").format(subject=subject, period=phrase),
            bold=True,
            size=14,
            after=12,
        )
        intro = _(
            "Thực hiện {plan}, {issuer} báo cáo kết quả thực hiện {subject} {period} như sau:"
        )
        body = _Body(document)
        body(intro.format(plan=plan.title, issuer=plan.issuer, subject=subject, period=phrase))
        body(_("I. KẾT QUẢ THỰC HIỆN"), heading=True)
        if entries:
            _results(body, entries, rows, period)
        else:
            body(_("Trong kỳ không có nhiệm vụ nào đến hạn thực hiện."))
        body(_("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"), heading=True)
        _write(body, shortfalls(entries, records))
        body(_("III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI"), heading=True)
        _write(body, next_tasks(entries, every_entry, next_period(period)))
        body(_("IV. ĐỀ XUẤT, KIẾN NGHỊ"), heading=True)
        # The one part the data cannot say: the clerk writes it over the marked line.
        body(_("(Phần này do đơn vị soạn thảo điền trước khi trình ký.)"), italic=True)
        body(PROPOSALS_PLACEHOLDER)
        body(
            _("Trên đây là báo cáo kết quả thực hiện {subject} {period} của {issuer}./.").format(
                subject=subject, period=phrase, issuer=plan.issuer
            )
        )
        layout.closing_block(
            document,
            [_("- ........;"), _("- Lưu: VT.")],
            issuer.authority,
        )
        if entries:
            layout.page_break(document)
            appendix(
                document,
                entries,
                files,
                _("Chi tiết kết quả thực hiện các nhiệm vụ {period}").format(period=phrase),
                _("(Kèm theo Báo cáo số      /BC-{abbreviation} của {issuer})").format(
                    abbreviation=issuer.abbreviation, issuer=plan.issuer
                ),
            )
        buffer = io.BytesIO()
        document.save(buffer)
    return buffer.getvalue()
