"""The result as a PDF a person can show at the commune (fpdf2: pure Python, no system package).

The page is laid out by ``bot/result/templates/pdf.html.j2`` (fpdf2 reads a subset of HTML); this
module sets the page up: an embedded Unicode font (Source Sans Pro, from the ``font-source-sans-pro``
wheel, so a fresh machine needs no system package), the document's title and language, and a
footer on every page with the date of the result and the page number ("Page 1 of 2").
"""

from __future__ import annotations

from pathlib import Path

from bot.i18n import text
from bot.result.render import render_view
from bot.result.view import ResultView

FONT = "sourcesans"
FONT_FILES = {"": "Regular", "B": "Bold", "I": "It", "BI": "BoldIt"}
FONT_SIZE = 10
MARGIN_MM = 16
FOOTER_MM = 12
INK = "#1f2a44"
GREY = (90, 96, 110)
PAGES_ALIAS = "{nb}"


def font_files() -> dict[str, Path]:
    """The TTF file of each style (regular, bold, italic, bold italic)."""
    import font_source_sans_pro  # type: ignore[import-untyped]

    folder = Path(font_source_sans_pro.font_directory)
    return {style: folder / f"SourceSansPro-{name}.ttf" for style, name in FONT_FILES.items()}


def pdf_file(view: ResultView) -> bytes:
    """The PDF of ``view`` (in its language): whose situation and the date, the verdict and why,
    every step with its date, detail and fee, one checklist, the sources as titled links, the
    disclaimer, and page numbers. fpdf2 is imported here, not with the bot: most sessions never
    need it."""
    from fpdf import FPDF
    from fpdf.fonts import TextStyle

    lang = view.lang
    footer_line = view.footer

    class ResultPdf(FPDF):
        def footer(self) -> None:
            self.set_y(-FOOTER_MM)
            self.set_font(FONT, size=8)
            self.set_text_color(*GREY)
            page = text(lang, "result.pdf.page", page=str(self.page_no()), pages=PAGES_ALIAS)
            self.cell(0, 5, footer_line, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 5, page, align="R")

    pdf = ResultPdf(format="A4")
    for style, path in font_files().items():
        pdf.add_font(FONT, style=style, fname=str(path))
    pdf.alias_nb_pages(PAGES_ALIAS)
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM + FOOTER_MM / 2)
    pdf.set_title(text(lang, "result.pdf.title"))
    pdf.set_lang(lang)
    pdf.set_creator("guichet")
    pdf.add_page()
    pdf.set_font(FONT, size=FONT_SIZE)
    headings = {
        "h1": TextStyle(font_family=FONT, font_style="B", font_size_pt=18, color=INK, t_margin=0, b_margin=1),
        "h2": TextStyle(font_family=FONT, font_style="B", font_size_pt=13, color=INK, t_margin=4, b_margin=1),
        "h3": TextStyle(font_family=FONT, font_style="B", font_size_pt=11, color=INK, t_margin=3, b_margin=0),
    }
    html = render_view("pdf", "document", view)
    pdf.write_html(html, font_family=FONT, ul_bullet_char="\u2022", tag_styles=headings)
    return bytes(pdf.output())
