"""What ``nhacviec backup`` and ``nhacviec restore`` tell the operator."""

from __future__ import annotations

from messages.i18n import _, ngettext


def no_sqlite_file(url: str) -> str:
    return _("Cơ sở dữ liệu {url} không phải một tệp SQLite: không sao lưu được.").format(url=url)


def no_database(path: str) -> str:
    return _("Không có cơ sở dữ liệu {path} để sao lưu. Kiểm tra [database] url.").format(
        path=path
    )


def tool_missing(name: str) -> str:
    return _(
        "Không tìm thấy {tool} (cần cho PostgreSQL). Cài gói postgresql-client cùng phiên bản "
        "với máy chủ (apt install postgresql-client), rồi chạy lại."
    ).format(tool=name)


def tool_failed(name: str, reason: str) -> str:
    return _("{tool} báo lỗi: {reason}").format(tool=name, reason=reason or "?")


def not_a_backup(path: str) -> str:
    return _(
        "{path} không phải bản sao lưu của nhacviec (tệp .tar.gz do nhacviec backup ghi)."
    ).format(path=path)


def other_database(archived: str, configured: str) -> str:
    return _(
        "Bản sao lưu chứa cơ sở dữ liệu {archived}, còn cấu hình dùng {configured}: hãy khôi "
        "phục vào cùng loại cơ sở dữ liệu."
    ).format(archived=archived, configured=configured)


def database_not_empty(where: str) -> str:
    return _(
        "Không khôi phục: cơ sở dữ liệu {where} đã có dữ liệu. Khôi phục vào một cơ sở dữ liệu "
        "mới, trống (hoặc chuyển tệp cũ đi chỗ khác)."
    ).format(where=where)


def folder_not_empty(folder: str) -> str:
    return _(
        "Không khôi phục: thư mục minh chứng {folder} đã có tệp. Chọn thư mục trống ([files] "
        "evidence_dir) hoặc chuyển thư mục cũ đi chỗ khác."
    ).format(folder=folder)


def cannot_open(reason: str) -> str:
    return _("Không mở được cơ sở dữ liệu: {reason}").format(reason=reason)


def written(path: str, database: str, files: int) -> str:
    return ngettext(
        "Đã sao lưu vào {path}: cơ sở dữ liệu {database} và {n} tệp minh chứng.",
        "Đã sao lưu vào {path}: cơ sở dữ liệu {database} và {n} tệp minh chứng.",
        files,
    ).format(path=path, database=database, n=files)


def restored(path: str, database: str, files: int, folder: str) -> str:
    return ngettext(
        "Đã khôi phục từ {path}: cơ sở dữ liệu {database} và {n} tệp minh chứng vào {folder}.",
        "Đã khôi phục từ {path}: cơ sở dữ liệu {database} và {n} tệp minh chứng vào {folder}.",
        files,
    ).format(path=path, database=database, n=files, folder=folder)
