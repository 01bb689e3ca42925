"""The three files built from a plan's data: a chart, an Excel workbook, a Word draft.

- ``chart.build_chart(progress)`` -> PNG bytes: per unit, its deadlines by standing;
- ``workbook.build_workbook(progress, reports, reminders)`` -> .xlsx bytes: progress,
  reports, reminders sent;
- ``period_report.build_period_report(plan, period, now, progress=, reports=, tasks=)``
  -> .docx bytes: the periodic report (*báo cáo định kỳ*) drafted in the layout of Nghị
  định 30/2020/NĐ-CP.

They take plain data (``storage.progress``, ``storage.history``, ``storage.task_rows``),
never a database session: ``bot.exports`` reads the data and calls them.

Each module also gives the file's name and MIME type, so that sending it in chat is one
call. The modules are imported one by one (not from here) because matplotlib, openpyxl
and python-docx are slow to import and a caller needs only one of them at a time.
"""
