"""The PDF and the calendar file, read back as a person's software would (pypdf, icalendar)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from bot.documents import calendar_file, pdf_file
from bot.engine import Answers
from bot.i18n import LANGS, Lang, long_date, text
from bot.result import build_view
from tests.result.personas import PERSONAS, TODAY, assessment

FAMILY = "the same worker with a spouse and two children"
ASSESSED = TODAY


def pdf_text(content: bytes) -> tuple[int, str, list[str]]:
    """Pages, text and link targets of a PDF."""
    reader = PdfReader(io.BytesIO(content))
    links = [
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/A" in annotation.get_object() and "/URI" in annotation.get_object()["/A"]
    ]
    flat = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    return len(reader.pages), flat, links


def squash(words: str) -> str:
    return " ".join(words.replace("\u202f", " ").replace("\xa0", " ").split())


def embedded_fonts(content: bytes) -> dict[str, bool]:
    """Every font the PDF uses, and whether its file is embedded."""
    reader = PdfReader(io.BytesIO(content))
    fonts: dict[str, bool] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = descriptor is not None and any(
                name in descriptor.get_object() for name in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_in_each_language(lang: Lang) -> None:
    answers = Answers(**{**PERSONAS[FAMILY]})
    view = build_view(assessment(FAMILY), lang, answers=answers)
    content = pdf_file(view)
    assert content.startswith(b"%PDF")
    pages, shown, links = pdf_text(content)
    shown = squash(shown)
    assert 1 <= pages <= 5
    assert squash(text(lang, "result.pdf.title")) in shown
    for line in (*view.verdict, *view.basis, *view.about):
        assert squash(line)[:60] in shown, line
    assert "India" in shown or "Inde" in shown or "India" in shown, "whose situation"
    assert squash(long_date(TODAY, lang)) in shown, "the date it was made"
    version = assessment(FAMILY).rules_version
    assert version.split("+")[0] not in shown and "2026.06" not in shown, "no version string"
    assert squash(text(lang, "result.heading.documents")) in shown
    for document in view.documents:
        assert squash(document)[:40] in shown
    for step in view.steps:
        assert squash(step.title)[:50] in shown, "every step"
        for part in (step.when, step.detail, step.fee):
            assert part is None or squash(part)[:40] in shown, "with its date, detail and fee"
    for number in range(1, pages + 1):
        page_line = text(lang, "result.pdf.page", page=str(number), pages=str(pages))
        assert squash(page_line) in shown, "page numbers"
    assert squash(text(lang, "outcome.disclaimer"))[:50] in shown, "the not-legal-advice line"
    assert links and set(links) == {link.url for link in view.sources}, "sources as links"
    fonts = embedded_fonts(content)
    assert fonts and all(fonts.values()), f"every font embedded: {fonts}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_checklist_names_each_paper_once(lang: Lang) -> None:
    view = build_view(assessment(FAMILY), lang)
    passport = {"fr": "passeport", "nl": "paspoort", "en": "passport"}[lang]
    lines = [d for d in view.documents if passport in d.casefold() and "photo" not in d.casefold()]
    assert len(lines) == 1, lines
    assert len({d.casefold() for d in view.documents}) == len(view.documents)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_has_numbered_pages(persona: str, lang: Lang) -> None:
    pages, shown, _ = pdf_text(pdf_file(build_view(assessment(persona), lang)))
    assert 1 <= pages <= 5
    assert squash(text(lang, "result.pdf.page", page=str(pages), pages=str(pages))) in squash(shown)


@pytest.mark.parametrize("lang", LANGS)
def test_calendar_in_each_language(lang: Lang) -> None:
    view = build_view(assessment(FAMILY), lang)
    content = calendar_file(view, today=ASSESSED)
    assert content is not None
    calendar = Calendar.from_ical(content)
    events = [part for part in calendar.walk("VEVENT")]
    upcoming = [step for step in view.dated_steps if step.due and step.due >= ASSESSED]
    assert upcoming, "the family persona has dated steps to come"
    assert len(events) == len(upcoming)
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("PRODID")
    for event, step in zip(events, upcoming, strict=True):
        assert event.decoded("DTSTART") == step.due
        assert str(event["SUMMARY"]) == step.title
        assert event.get("UID") and event.get("DTSTAMP")
        [alarm] = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm.decoded("TRIGGER").total_seconds() < 0, "the reminder comes before the day"
    assert str(calendar["X-WR-CALNAME"]) == text(lang, "result.calendar.name")


def test_the_calendar_starts_from_the_day_of_the_result() -> None:
    view = build_view(assessment(FAMILY), "en")
    events = Calendar.from_ical(calendar_file(view) or b"").walk("VEVENT")
    assert len(events) == len([s for s in view.dated_steps if s.due and s.due >= TODAY])


def test_calendar_event_uids_are_unique_to_each_person() -> None:
    view = build_view(assessment(FAMILY), "en")

    def uids(owner: str) -> set[str]:
        content = calendar_file(view, today=ASSESSED, owner=owner) or b""
        return {str(event["UID"]) for event in Calendar.from_ical(content).walk("VEVENT")}

    first, second = uids("r1|1|calendar|aaaa"), uids("r1|2|calendar|bbbb")
    assert first and not first & second, "two people's events never collide"
    assert uids("r1|1|calendar|aaaa") == first, "the same person's file updates the same events"
    assert len(first) == len([s for s in view.dated_steps if s.due and s.due >= ASSESSED])


def test_no_calendar_without_a_date_to_come() -> None:
    view = build_view(assessment(FAMILY), "en")
    late = date(2040, 1, 1)
    assert calendar_file(view, today=late) is None
