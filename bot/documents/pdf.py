"""The result as a one- or two-page PDF (fpdf2: pure Python, no system package).

The page is laid out by ``bot/result/templates/pdf.html.j2`` (fpdf2 reads a subset of HTML);
this module only sets the page up. The built-in Helvetica is used with the Windows-1252 encoding,
which covers French, Dutch and English and the euro sign; the few characters outside it (narrow
no-break spaces from CLDR number formats, typographic marks) are replaced by their nearest one.
"""

from __future__ import annotations

from bot.i18n import text
from bot.result.render import render_view
from bot.result.view import ResultView

ENCODING = "windows-1252"
FONT = "helvetica"
FONT_SIZE = 10
MARGIN_MM = 15
INK = "#1f2a44"
_REPLACEMENTS = str.maketrans({"\u202f": "\xa0", "\u2009": " ", "\u2011": "-", "\u2212": "-", "☐": "o"})


def _encodable(html: str) -> str:
    cleaned = html.translate(_REPLACEMENTS)
    return cleaned.encode(ENCODING, errors="replace").decode(ENCODING)


def pdf_file(view: ResultView) -> bytes:
    """The PDF of ``view`` (in its language): verdict, dated steps, checklist, sources, disclaimer.
    fpdf2 is imported here, not with the bot: it adds about 20 MB that most sessions never need."""
    from fpdf import FPDF
    from fpdf.fonts import TextStyle

    headings = {
        "h1": TextStyle(font_family=FONT, font_size_pt=18, color=INK, t_margin=0, b_margin=0.4),
        "h2": TextStyle(font_family=FONT, font_size_pt=13, color=INK, t_margin=2, b_margin=0.3),
    }
    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = ENCODING
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM)
    pdf.set_title(text(view.lang, "result.pdf.title"))
    pdf.set_lang(view.lang)
    pdf.set_creator("guichet")
    pdf.add_page()
    pdf.set_font(FONT, size=FONT_SIZE)
    html = render_view("pdf", "document", view)
    pdf.write_html(_encodable(html), ul_bullet_char="\u2022", tag_styles=headings)
    return bytes(pdf.output())
