"""Reports and interchange: learning outputs built from the stored reviews —
7-minute briefings, thematic reports and the recurrence of recommendations —
rendered as PDF (WeasyPrint) and DOCX (python-docx). See docs/reports.md."""
