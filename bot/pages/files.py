"""The page's files as HTTP responses: the downloads (workbook, period report, evidence
files) under their names, and a report's photo shown in the page.

Every response keeps the page's headers (not cached, no referrer: the links carry the
viewer's token); an evidence file is served as its stored type with ``nosniff`` and a
sandbox, so a file sent to the bot is never run as a page of the site.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.responses import Response

from storage.models import Evidence
from storage.page import INLINE_TYPES

HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def download(
    content: bytes, mime_type: str, filename: str, disposition: str = "attachment"
) -> Response:
    """A file's bytes as a download (or ``inline`` for a photo shown on the page)."""
    # The name as sent (Vietnamese, any characters) in RFC 6266's UTF-8 form, and an
    # ASCII stand-in for the clients that read only ``filename``.
    plain = "".join(c if (c.isascii() and c.isalnum()) or c in "._-" else "_" for c in filename)
    headers = {
        **HEADERS,
        "Content-Disposition": f'{disposition}; filename="{plain}"; '
        f"filename*=UTF-8''{quote(filename)}",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(content, media_type=mime_type, headers=headers)


def evidence_response(content: bytes, row: Evidence, task_code: str) -> Response:
    """A photo a browser draws is shown in the page; any other file is downloaded under
    the name it was sent with (a photo sent without one: the task's code and the file's
    number, with the store's extension)."""
    extension = row.path.rsplit(".", 1)[1] if "." in row.path else "bin"
    filename = row.name or f"minh-chung-{task_code}-{row.id}.{extension}"
    disposition = "inline" if row.mime_type in INLINE_TYPES else "attachment"
    response = download(content, row.mime_type, filename, disposition)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
