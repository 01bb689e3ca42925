"""What the chat says with its files: the captions of the chart, the Excel workbook and the
Word draft, and the questions and answers of /xuat and /baocaoky.

Kept apart from the builders so that a reply never loads matplotlib, openpyxl or
python-docx: this module imports none of them.
"""

from __future__ import annotations

from datetime import datetime

from messages.dates import date_time, short_date
from messages.escape import inline
from messages.i18n import _

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
FIRST_HALF, SECOND_HALF, WHOLE_YEAR = 5, 6, 0  # the other parts of a year: quarters 1-4


def chart_caption(plan_code: str) -> str:
    return _("Biểu đồ tiến độ các đơn vị, kế hoạch {plan}.").format(plan=plan_code)


def workbook_caption(plan_code: str, now: datetime) -> str:
    # The sheets' names, translated as the workbook names them.
    return _(
        "Tệp Excel tiến độ kế hoạch {plan}, số liệu lúc {moment}. Bốn trang: “{progress}” "
        "(từng đơn vị, từng kỳ), “{reports}” (mọi báo cáo), “{reminders}”, “{evidence}” "
        "(từng tệp và nơi lưu)."
    ).format(
        plan=plan_code,
        moment=date_time(now),
        progress=_("Tiến độ"),
        reports=_("Báo cáo"),
        reminders=_("Nhắc việc đã gửi"),
        evidence=_("Minh chứng"),
    )


def period_report_caption(plan_code: str, period: str, as_of: datetime | None) -> str:
    """``period`` as a sentence says it ("quý I năm 2024"); ``as_of``: the period is not
    over yet and the figures stop at that instant."""
    text = _(
        "Dự thảo báo cáo kết quả thực hiện {period}, kế hoạch {plan}. Anh/chị điền số văn "
        "bản, phần đề xuất, kiến nghị và nơi nhận, rồi trình ký."
    ).format(period=period, plan=plan_code)
    if as_of is not None:
        text += " " + _("Kỳ chưa kết thúc: số liệu tính đến {moment}.").format(
            moment=date_time(as_of)
        )
    return text


def ask_plan_to_export() -> str:
    return _("Có nhiều kế hoạch. Xuất tệp Excel của kế hoạch nào?")


def ask_plan_to_report() -> str:
    return _("Có nhiều kế hoạch. Soạn báo cáo định kỳ của kế hoạch nào?")


def ask_period(plan_code: str, year: int) -> str:
    return _(
        "Soạn dự thảo báo cáo kỳ nào (kế hoạch {plan})? Kỳ khác thì gõ /baocaoky kèm kỳ, "
        "ví dụ /baocaoky Tháng 3/{year}."
    ).format(plan=plan_code, year=year)


def period_label(year: int, part: int) -> str:
    """A period offered as a choice: a quarter (``part`` 1-4), a half or the year."""
    if part == FIRST_HALF:
        text = _("6 tháng đầu năm {year}").format(year=year)
    elif part == SECOND_HALF:
        text = _("6 tháng cuối năm {year}").format(year=year)
    elif part == WHOLE_YEAR:
        text = _("Năm {year}").format(year=year)
    else:
        text = _("Quý {quarter}/{year}").format(quarter=ROMAN[part], year=year)
    # A label starts with a capital; the halves' English is written for a sentence.
    return text[:1].upper() + text[1:]


def bad_period(text: str, year: int) -> str:
    return _(
        "“{text}” không phải một kỳ báo cáo. Hãy ghi một tháng, quý, 6 tháng hoặc năm, ví "
        "dụ: /baocaoky Quý I/{year}, /baocaoky 6 tháng đầu năm {year}, /baocaoky Năm "
        "{year}. Gõ /baocaoky không kèm kỳ để chọn trong danh sách."
    ).format(text=inline(text, 60), year=year)


def period_not_begun(label: str, first_day: datetime, year: int) -> str:
    return _(
        "Kỳ {period} chưa bắt đầu (từ {start}) nên chưa có gì để báo cáo. Hãy ghi một kỳ đã "
        "bắt đầu, ví dụ /baocaoky Quý I/{year}."
    ).format(period=label, start=short_date(first_day), year=year)


def no_period_begun(plan_code: str, year: int) -> str:
    return _(
        "Kế hoạch {plan} thực hiện trong năm {year}, chưa đến kỳ báo cáo nào. Anh/chị soạn "
        "báo cáo khi kỳ đầu tiên đã bắt đầu."
    ).format(plan=plan_code, year=year)


def files_unavailable() -> str:
    return _(
        "Bot này chưa được cài đặt để tạo tệp nên chưa gửi được tệp. Anh/chị báo quản trị viên."
    )
