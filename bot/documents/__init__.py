"""Files a person keeps: the result as a PDF and the dated steps as an iCalendar file."""

from bot.documents.calendar import calendar_file
from bot.documents.pdf import pdf_file

__all__ = ["calendar_file", "pdf_file"]
