"""The PDF and the calendar file, read back as a person's software would (pypdf, icalendar)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from icalendar import Calendar
from pypdf import PdfReader

from bot.documents import calendar_file, pdf_file
from bot.i18n import LANGS, Lang, long_date, text
from bot.result import build_view, public_version
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


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_in_each_language(lang: Lang) -> None:
    view = build_view(assessment(FAMILY), lang)
    content = pdf_file(view)
    assert content.startswith(b"%PDF")
    pages, shown, links = pdf_text(content)
    shown = squash(shown)
    assert 1 <= pages <= 2
    assert squash(text(lang, "result.pdf.title")) in shown
    for line in (*view.verdict, *view.basis):
        assert squash(line)[:60] in shown, line
    assert squash(long_date(TODAY, lang)) in shown, "the date it was made"
    assert public_version(assessment(FAMILY).rules_version) in shown, "the rules version"
    assert "+" + assessment(FAMILY).rules_version.split("+")[-1] not in shown, "no digest"
    assert squash(text(lang, "result.heading.documents")) in shown
    for document in view.documents[:5]:
        assert squash(document)[:40] in shown
    for step in view.dated_steps:
        assert step.when is not None and squash(step.when) in shown, "next steps with their dates"
    assert squash(text(lang, "outcome.disclaimer"))[:50] in shown, "the not-legal-advice line"
    assert links and set(links) == {link.url for link in view.sources}, "sources as links"
    assert content.count(b"/ZapfDingbats") >= 1, "tick boxes"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_fits_two_pages(persona: str, lang: Lang) -> None:
    pages, _, _ = pdf_text(pdf_file(build_view(assessment(persona), lang)))
    assert 1 <= pages <= 2


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


def test_no_calendar_without_a_date_to_come() -> None:
    view = build_view(assessment(FAMILY), "en")
    late = date(2040, 1, 1)
    assert calendar_file(view, today=late) is None
