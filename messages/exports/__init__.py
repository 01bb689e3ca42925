"""The three files built from a plan's data: a chart, an Excel workbook, a Word draft.

- ``chart.build_chart(progress)`` -> PNG bytes: per unit, its deadlines by standing;
- ``workbook.build_workbook(session, plan_id, now)`` -> .xlsx bytes: progress, reports,
  reminders sent;
- ``period_report.build_period_report(session, plan_id, period, now)`` -> .docx bytes: the
  periodic report (*báo cáo định kỳ*) drafted in the layout of Nghị định 30/2020/NĐ-CP.

Each module also gives the file's name and MIME type, so that sending it in chat is one
call. The modules are imported one by one (not from here) because matplotlib, openpyxl
and python-docx are slow to import and a caller needs only one of them at a time.
"""
