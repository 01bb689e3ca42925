"""What the chat says of evidence files (*minh chứng*): a file refused when a report is
stored, and the answers of /minhchung, which sends a task's files back to its overseers."""

from __future__ import annotations

from datetime import datetime

from messages.dates import short_date
from messages.escape import inline
from messages.i18n import _, ngettext


def photo_word(kind: str | None) -> str:
    return _("ảnh") if kind == "photo" else _("tệp")


def _megabytes(limit: int) -> str:
    return f"{limit / 1_000_000:.0f}"


def too_large(name: str, limit: int) -> str:
    return _(
        "Tệp “{name}” lớn hơn {mb} MB nên không được lưu làm minh chứng; báo cáo vẫn được "
        "ghi nhận. Anh/chị gửi bản nhẹ hơn (ảnh chụp, PDF nén) bằng /baocao."
    ).format(name=inline(name, 80), mb=_megabytes(limit))


def wrong_type(name: str) -> str:
    return _(
        "Tệp “{name}” không phải ảnh, PDF hay văn bản Word, Excel, PowerPoint nên không được "
        "lưu làm minh chứng; báo cáo vẫn được ghi nhận."
    ).format(name=inline(name, 80))


def ask_task() -> str:
    return _("Anh/chị ghi mã nhiệm vụ, ví dụ: /minhchung T3 (xem mã bằng /tonghop).")


def ask_plan() -> str:
    return _("Xem minh chứng của kế hoạch nào?")


def no_evidence(code: str, plan: str) -> str:
    return _(
        "Kế hoạch {plan} chưa có tệp minh chứng nào được lưu cho nhiệm vụ {code}. Mã nhiệm "
        "vụ xem trong /tonghop {plan}."
    ).format(code=inline(code, 32), plan=plan)


def sending(code: str, count: int, total: int) -> str:
    if count < total:
        return _(
            "Nhiệm vụ {code}: {total} tệp minh chứng; gửi {count} tệp mới nhất. Xem đủ "
            "danh sách trong tệp Excel (/xuat)."
        ).format(code=code, count=count, total=total)
    return ngettext(
        "Nhiệm vụ {code}: {n} tệp minh chứng.", "Nhiệm vụ {code}: {n} tệp minh chứng.", count
    ).format(code=code, n=count)


def caption(unit: str, period: str, reported_at: datetime) -> str:
    return _("{unit}, kỳ {period}, báo cáo ngày {date}").format(
        unit=unit, period=period, date=short_date(reported_at)
    )


def missing_files(count: int) -> str:
    return ngettext(
        "{n} tệp không còn trong kho minh chứng (xem bản sao lưu gần nhất).",
        "{n} tệp không còn trong kho minh chứng (xem bản sao lưu gần nhất).",
        count,
    ).format(n=count)


def unavailable() -> str:
    return _("Bot này không giữ tệp minh chứng (chưa có kho tệp). Anh/chị báo người quản trị.")
