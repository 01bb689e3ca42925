"""Import a plan document (.docx, .pdf, .txt, .md) into a draft plan file and a review.

``import_document(name, data)`` reads the document (``reading``), its head
(``header``), its tables (``tables``), numbered activities and month timelines
(``activities``) and the duties of "Tổ chức thực hiện" (``duties``), then tidies the
result (``assemble``). ``writer.draft_toml`` writes the draft in the format of
``plans/``; ``review.review_text`` says what was found and what is doubtful.
"""

from scheduler.importer.assemble import import_document
from scheduler.importer.reading import MAX_BYTES, Unreadable

__all__ = ["MAX_BYTES", "Unreadable", "import_document"]
