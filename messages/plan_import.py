"""How an imported plan reads: the review of ``plan import`` and the chat's timetable.

Both say what the importer found (the plan's identity, its units and its tasks with
their lead units and due dates) and list every doubtful line with where it stands in
the document and why, so that the operator checks them before loading.
"""

from __future__ import annotations

from messages.dates import short_date
from messages.i18n import _, ngettext
from scheduler.importer.model import Draft, DraftTask
from scheduler.importer.writer import used_units
from scheduler.timeexpr import Kind, TimeExpressionError, parse_when


def due_text(task: DraftTask, year: int) -> str:
    """ "hạn 30/06/2022", "4 kỳ, kỳ đầu hạn 15/03/2022", or why there is no date."""
    try:
        schedule = parse_when(task.when, year)
    except TimeExpressionError:
        return _("chưa có hạn")
    if schedule.kind == Kind.UNSCHEDULED or schedule.due is None:
        return _("không có hạn, chỉ theo dõi")
    dated = [o.due for o in schedule.occurrences if o.due is not None]
    if len(dated) > 1:
        return _("{n} kỳ, kỳ đầu hạn {date}").format(n=len(dated), date=short_date(dated[0]))
    return _("hạn {date}").format(date=short_date(schedule.due))


def task_lines(draft: Draft) -> list[str]:
    """The numbered timetable: one entry per task, its lead units, time and due date."""
    lines = []
    for number, task in enumerate(draft.tasks, start=1):
        lead = "; ".join(unit.name for unit in task.lead)
        lines.append(f"{number}. [{task.code}] {task.title}")
        lines.append(
            "   "
            + _("Chủ trì: {lead} · {when} · {due}").format(
                lead=lead, when=task.when, due=due_text(task, draft.year)
            )
        )
    return lines


def doubt_lines(draft: Draft) -> list[str]:
    lines = [f"- {d.where}: “{d.text}” — {d.reason}" for d in draft.doubts]
    lines += [
        "- "
        + _("{where}: “{text}” — gộp vào nhiệm vụ {code}").format(
            where=m.where, text=m.text, code=m.reason
        )
        for m in draft.merged
    ]
    return lines


def heading_lines(draft: Draft) -> list[str]:
    header = draft.header
    units = used_units(draft)
    groups = sum(1 for unit in units if unit.is_group)
    lines = [
        _("Kế hoạch: {title}").format(title=header.title),
        _("Cơ quan ban hành: {issuer}").format(issuer=header.issuer),
        _("Văn bản: {document}").format(document=header.document or _("không thấy số, ngày")),
    ]
    if header.issued:
        lines.append(_("Ngày ký: {date}").format(date=short_date(header.issued)))
    if header.period:
        lines.append(
            _("Giai đoạn: {start}-{end}").format(start=header.period[0], end=header.period[1])
        )
    lines.append(
        _("Năm: {year} · mã kế hoạch: {code} · {units} đơn vị, {groups} nhóm").format(
            year=draft.year, code=draft.code, units=len(units) - groups, groups=groups
        )
    )
    return lines


def review_text(draft: Draft, out: str | None = None) -> str:
    """The review ``plan import`` prints."""
    count = ngettext("{n} nhiệm vụ", "{n} nhiệm vụ", len(draft.tasks)).format(n=len(draft.tasks))
    lines = [*heading_lines(draft), "", _("Tìm thấy {count}:").format(count=count)]
    lines += task_lines(draft)
    doubts = doubt_lines(draft)
    lines += [
        "",
        _("Cần kiểm tra ({n} dòng):").format(n=len(doubts))
        if doubts
        else _("Không có dòng nào cần kiểm tra."),
    ]
    lines += doubts
    if out:
        lines += [
            "",
            _(
                "Bản nháp đã ghi vào {file}. Sửa nếu cần, rồi nạp: nhacviec plan load {file}"
            ).format(file=out),
        ]
    return "\n".join(lines)


# -- in chat ------------------------------------------------------------------------------


def chat_review(draft: Draft, source: str) -> str:
    """What the bot answers to a plan document: the timetable, the doubts, what next."""
    lines = [_("Tôi đã đọc {file}.").format(file=source), *heading_lines(draft), ""]
    lines += task_lines(draft)
    doubts = doubt_lines(draft)
    if doubts:
        lines += ["", _("Cần anh/chị kiểm tra ({n} dòng):").format(n=len(doubts)), *doubts]
    lines += ["", correction_help()]
    return "\n".join(lines)


def correction_help() -> str:
    return _(
        "Sửa một nhiệm vụ theo số thứ tự, ví dụ “3 chủ trì: Phòng Nội vụ” hoặc “3 thời gian: "
        "Quý II/2026”. Gửi /xacnhan để nạp kế hoạch, /huy để bỏ."
    )


def corrected(number: int, draft: Draft) -> str:
    task = draft.tasks[number - 1]
    lead = "; ".join(unit.name for unit in task.lead)
    return (
        _("Đã sửa nhiệm vụ {number} [{code}]: chủ trì {lead} · {when} · {due}.").format(
            number=number,
            code=task.code,
            lead=lead,
            when=task.when,
            due=due_text(task, draft.year),
        )
        + "\n"
        + _("Gửi /xacnhan để nạp, /huy để bỏ.")
    )


def no_such_task(number: int, count: int) -> str:
    return _("Không có nhiệm vụ số {number}; bản nháp có {count} nhiệm vụ.").format(
        number=number, count=count
    )


def time_not_read(when: str) -> str:
    return _(
        "Chưa đọc được mốc thời gian “{when}”. Ví dụ: Quý II/2026, trước ngày "
        "15/01/2026, Thường xuyên trong năm."
    ).format(when=when)


def document_refused(reason: str) -> str:
    return _("{reason}\nChưa nạp gì.").format(reason=reason)


def plan_loaded(code: str, tasks: int, units: int, created: bool) -> str:
    text = (
        _(
            "Đã nạp kế hoạch {code}: {tasks} nhiệm vụ, {units} đơn vị. Bot sẽ nhắc hạn như mọi "
            "kế hoạch khác; tạo mã mời cho các đơn vị bằng nhacviec invite."
        )
        if created
        else _(
            "Đã cập nhật kế hoạch {code}: {tasks} nhiệm vụ, {units} đơn vị; các báo cáo đã "
            "có được giữ nguyên."
        )
    )
    return text.format(code=code, tasks=tasks, units=units)


def draft_not_loadable(problems: str) -> str:
    return _("Bản nháp chưa nạp được:\n{problems}\nHãy sửa rồi gửi /xacnhan.").format(
        problems=problems
    )


def nothing_to_confirm() -> str:
    return _(
        "Không có kế hoạch nào đang chờ xác nhận. Gửi tệp Word hoặc PDF của kế hoạch "
        "vào đây để nhập."
    )


def use_command_line() -> str:
    return _(
        "Trên Zalo, tệp không đến được bot. Hãy nhập kế hoạch trên máy chủ bằng lệnh: "
        "nhacviec plan import TỆP, kiểm tra tệp nháp, rồi nhacviec plan load."
    )


def too_big_to_download(name: str, size: int, limit: int) -> str:
    return _(
        "Tệp {name} nặng {size} MB, quá giới hạn {limit} MB mà Telegram cho bot tải về, nên "
        "gửi lại cũng không được. Hãy chép tệp lên máy chủ và nhập bằng lệnh: nhacviec plan "
        "import TỆP, kiểm tra tệp nháp, rồi nhacviec plan load."
    ).format(name=name, size=round(size / 1048576, 1), limit=round(limit / 1048576))


def document_not_received(name: str) -> str:
    return _("Chưa tải được tệp {name} từ Telegram; hãy gửi lại.").format(name=name)
