"""What ``nhacviec demo`` prints around the chats: the transcript's lines, the progress, the
closing figures, its errors, and the notes its simulated officers type in their reports."""

from __future__ import annotations

from datetime import date, datetime

from messages.dates import full_date, short_date
from messages.i18n import _

# -- the transcript --------------------------------------------------------------------


def group_label(title: str) -> str:
    return _("nhóm {name}").format(name=title)


def private_label(person: str) -> str:
    return _("chat riêng · {name}").format(name=person)


def day_header(day: date | datetime) -> str:
    return f"── {full_date(day)} ──"


def person_line(stamp: str, chat: str, sender: str) -> str:
    return f"{stamp} [{chat}] {sender}: "


def bot_line(stamp: str, chat: str) -> str:
    return _("{time} [{chat}] Bot → ").format(time=stamp, chat=chat)


def photo(filename: str) -> str:
    return _("[ảnh: {filename}]").format(filename=filename)


def document(filename: str) -> str:
    return _("[tệp: {filename}]").format(filename=filename)


def intro(plan: str, code: str, start: date, end: date, database: str, seed: int) -> str:
    return _(
        "Chạy thử Nhắc việc: {plan} ({code}), từ {start} đến {end} trên đồng hồ mô phỏng. "
        "Các đơn vị đăng ký bằng mã mời, bot nhắc hạn chót, cán bộ báo cáo (có người đúng "
        "hạn, có người trễ, có người không báo cáo), lãnh đạo nhận báo cáo quá hạn và tổng "
        "hợp. Dữ liệu ghi vào {database}; cách cán bộ trả lời theo --seed {seed}."
    ).format(
        plan=plan,
        code=code,
        start=short_date(start),
        end=short_date(end),
        database=database,
        seed=seed,
    )


# -- what the simulated officers type --------------------------------------------------


def notes(step: str) -> list[str]:
    """Notes an officer may write with a report: "done", "progress" or "blocked"."""
    if step == "done":
        return [
            _("hồ sơ lưu tại đơn vị"),
            _("đã ban hành văn bản triển khai"),
            _("đã tổ chức thực hiện theo kế hoạch"),
            _("đã gửi báo cáo về Phòng Nội vụ"),
        ]
    if step == "blocked":
        return [
            _("chờ kinh phí được phê duyệt"),
            _("thiếu người, đề nghị các đơn vị hỗ trợ"),
            _("chờ văn bản hướng dẫn của cấp trên"),
        ]
    return [
        _("dự kiến xong trước hạn chót"),
        _("đã làm được một phần, đang hoàn thiện"),
        _("đang phối hợp với các đơn vị liên quan"),
    ]


def registration_failed(person: str, request: str) -> str:
    return _(
        "Không đăng ký được {person} cho bản chạy thử (mã mời tạo bằng {request}). Hãy chạy "
        "lại; nếu vẫn lỗi, báo cho người phát triển."
    ).format(person=person, request=request)


# -- progress and the closing figures ----------------------------------------------------


def progress_bar(bar: str, week: int, weeks: int, day: date, messages: int) -> str:
    return _("[{bar}] tuần {week}/{weeks} · {date} · {messages} tin nhắn").format(
        bar=bar, week=week, weeks=weeks, date=short_date(day), messages=messages
    )


def month_line(
    month: int, year: int, reminders: int, escalations: int, summaries: int, reports: int
) -> str:
    return _(
        "Hết tháng {month}/{year}: {reminders} lượt nhắc hạn, {escalations} lượt báo lãnh "
        "đạo quá hạn, {summaries} bản tổng hợp hằng tuần, {reports} báo cáo."
    ).format(
        month=month,
        year=year,
        reminders=reminders,
        escalations=escalations,
        summaries=summaries,
        reports=reports,
    )


def closing_header(when: datetime, chat: str, person: str) -> str:
    return _("KẾT THÚC CHẠY THỬ. {person} gõ /tonghop trong {chat} lúc {time} {date}:").format(
        person=person,
        chat=chat,
        time=when.strftime("%H:%M"),
        date=short_date(when),
    )


def figures(
    end: date,
    messages: int,
    outbox: int,
    replies: int,
    reminders: int,
    escalations: int,
    summaries: int,
    charts: int,
) -> str:
    return _(
        "Số liệu đến hết {date}:\n"
        "- Bot đã gửi {messages} tin nhắn: {outbox} tin bot tự gửi (nhắc hạn, báo lãnh đạo, "
        "tổng hợp, biểu đồ) và {replies} tin trả lời cán bộ, lãnh đạo.\n"
        "- Nhắc hạn chót: {reminders} lượt; báo lãnh đạo nhiệm vụ quá hạn: {escalations} "
        "lượt; tổng hợp hằng tuần gửi lãnh đạo: {summaries} bản, kèm {charts} biểu đồ."
    ).format(
        date=short_date(end),
        messages=messages,
        outbox=outbox,
        replies=replies,
        reminders=reminders,
        escalations=escalations,
        summaries=summaries,
        charts=charts,
    )


def report_figures(reports: int, on_time: int, late: int, done: int) -> str:
    return _(
        "- Báo cáo đã ghi: {reports} ({on_time} trước hạn chót, {late} sau hạn chót), trong "
        "đó {done} báo cáo hoàn thành."
    ).format(reports=reports, on_time=on_time, late=late, done=done)


def explore(database: str) -> str:
    return _(
        "Dữ liệu của bản chạy thử ở {database}; xem tiếp, ví dụ:\n"
        "  NHACVIEC_DATABASE_URL=sqlite:///{database} nhacviec reminders list --due-within 1d"
    ).format(database=database)


# -- errors and the command's help ------------------------------------------------------


def plan_missing(path: str) -> str:
    return _(
        "Không tìm thấy tệp kế hoạch {path}. Hãy chạy lệnh trong thư mục mã nguồn của "
        "nhacviec (có thư mục plans/)."
    ).format(path=path)


def cannot_open(path: str, reason: str) -> str:
    return _("Không mở được cơ sở dữ liệu ({url}): {reason}").format(url=path, reason=reason)


def not_a_demo_database(path: str) -> str:
    return _(
        "Tệp {path} đã có và không phải dữ liệu của bản chạy thử: không ghi đè. Chọn tệp khác "
        "với --db."
    ).format(path=path)


def is_configured_database(path: str) -> str:
    return _(
        "Tệp {path} là cơ sở dữ liệu trong tệp cấu hình: bản chạy thử không ghi đè. Chọn tệp "
        "khác với --db."
    ).format(path=path)


def bad_until(text: str, first: date, last: date) -> str:
    return _("cần một ngày từ {first} đến {last} (dạng 2024-03-31), không phải {text}").format(
        text=text, first=first.isoformat(), last=last.isoformat()
    )


def help_command() -> str:
    return _("chạy thử một năm của kế hoạch Cửa Lò 2024 trên đồng hồ mô phỏng")


def help_db() -> str:
    return _("tệp SQLite của bản chạy thử, tạo mới mỗi lần (mặc định nhacviec-demo.db)")


def help_until() -> str:
    return _("dừng sau ngày này (dạng 2024-03-31; mặc định hết năm)")


def help_quiet() -> str:
    return _("chỉ in tổng hợp cuối và các số liệu")


def help_lang() -> str:
    return _("ngôn ngữ của bot và của bản chạy thử: vi hoặc en")


def help_seed() -> str:
    return _("số khởi tạo cách cán bộ mô phỏng trả lời (cùng số, cùng kết quả)")
