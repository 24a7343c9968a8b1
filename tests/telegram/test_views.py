"""Dialogue replies → Telegram messages, without the network: labels, help, results, signed buttons."""

from __future__ import annotations

import pytest

from bot.engine import msg
from bot.i18n import LANGS, Lang, catalog, text
from bot.telegram.links import (
    ResultLinks,
    confirm_data,
    read_confirm_press,
    read_result_press,
    signing_key,
)
from bot.telegram.views import MAX_LABEL, button_label, messages_for, short_label
from flows.dialogue import Option, Reply
from flows.interpret import choices
from flows.questions import MEMBER_QUESTIONS, QUESTIONS
from tests.result.personas import assessment

KEY = signing_key("123:abc")


def test_long_labels_are_cut_to_30_characters_and_listed_in_full() -> None:
    long = "Chercher un emploi après mon diplôme ou ma recherche en Belgique"
    assert len(button_label(4, long)) <= MAX_LABEL and button_label(4, long).startswith("5. Chercher")
    assert button_label(0, "Oui") == "Oui"
    reply = Reply(
        kind="question",
        messages=[msg("question.purposes.text")],
        options=[Option(label=msg("x"), value="a", question_id="q", state_version=1)],
    )
    [message] = messages_for([reply], "fr", 1)
    labels = [label for row in (message.keyboard.rows if message.keyboard else ()) for label, _ in row]
    assert all(len(label) <= MAX_LABEL for label in labels)


@pytest.mark.parametrize("lang", LANGS)
def test_every_option_has_a_button_label_that_fits_without_being_cut(lang: Lang) -> None:
    """Short labels are data (``telegram.short.<option key>``): no option is cut to a look-alike
    ("2. Partenaire enregistré…"), and within a question no two buttons read the same."""
    for question in QUESTIONS.values():
        labels = []
        for option in choices(question):
            label = short_label(msg(option.key), lang)
            assert len(label) <= MAX_LABEL, f"{option.key}: {label!r}"
            assert button_label(0, label) == label and "…" not in label, "never cut"
            if question.kind == "multi_choice":
                ticked = short_label(msg("dialogue.option.selected", label_key=option.key), lang)
                assert len(ticked) <= MAX_LABEL and ticked.endswith(label), ticked
            labels.append(label.casefold())
        assert len(labels) == len(set(labels)), f"{question.id}: look-alike buttons {labels}"
        change = (
            "dialogue.summary.change_member" if question.id in MEMBER_QUESTIONS else "dialogue.summary.change"
        )
        summary = short_label(msg(change, label_key=question.label_key, number=2), lang)
        assert len(summary) <= MAX_LABEL and "…" not in summary, summary
    sections = [key for key in catalog(lang) if key.startswith("dialogue.summary.section.")]
    for key in [
        *sections,
        "dialogue.summary.confirm",
        "dialogue.summary.add_member",
        "dialogue.summary.overview",
    ]:
        label = short_label(
            msg("dialogue.summary.open_section", label_key=key) if key in sections else msg(key), lang
        )
        assert len(label) <= MAX_LABEL and "…" not in label, label


@pytest.mark.parametrize("lang", LANGS)
def test_a_shortened_option_is_listed_in_full_in_the_message(lang: Lang) -> None:
    question = QUESTIONS["family_who"]
    options = [
        Option(label=msg(o.key), value=o.value, question_id="family_who", state_version=1)
        for o in choices(question)
    ]
    reply = Reply(kind="question", messages=[msg(question.text_key)], options=options)
    [message] = messages_for([reply], lang, 1)
    assert message.keyboard is not None and message.prompt
    shown = [label for row in message.keyboard.rows for label, _ in row]
    for option in choices(question):
        assert text(lang, option.key) in message.plain, "the full wording is in the message"
        assert short_label(msg(option.key), lang) in shown


def test_help_talks_about_telegram_commands_not_console_words() -> None:
    reply = Reply(kind="info", messages=[msg("question.dob.help"), msg("dialogue.help.commands")])
    [message] = messages_for([reply], "fr", 1)
    assert text("fr", "telegram.help_commands") in message.plain
    assert text("fr", "dialogue.help.commands") not in message.plain


def test_a_result_is_one_short_message_with_its_buttons_only_once_saved() -> None:
    result = assessment("single worker with a job offer")
    reply = Reply(kind="result", messages=[msg("dialogue.result.intro")], assessment=result)
    [unsaved] = messages_for([reply], "en", 3)
    assert unsaved.plain.startswith(text("en", "result.title"))
    assert unsaved.keyboard is None
    links = ResultLinks(KEY, "42", 7)
    [saved] = messages_for([reply], "en", 3, links=links, adviser=True)
    assert saved.keyboard is not None
    labels = [label for row in saved.keyboard.rows for label, _ in row]
    for name in ("steps", "documents", "why", "pdf", "calendar"):
        assert text("en", f"result.button.{name}") in labels
    assert text("en", "telegram.button.adviser") in labels
    assert all(len(label) <= MAX_LABEL for label in labels)


def test_result_buttons_are_bound_to_their_user_and_session() -> None:
    data = ResultLinks(KEY, "42", 7).data("why")
    assert len(data.encode()) <= 64
    press = read_result_press(data, KEY, "42")
    assert press is not None and (press.session_id, press.view) == (7, "why")
    assert read_result_press(data, KEY, "43") is None, "another user cannot open it"
    assert read_result_press(data.replace("|7|", "|8|"), KEY, "42") is None, "nor another session"
    assert read_result_press(data, signing_key("other"), "42") is None
    assert read_result_press("r1|7|secrets|0000000000", KEY, "42") is None
    assert read_result_press(None, KEY, "42") is None


def test_confirmation_buttons() -> None:
    press = read_confirm_press(confirm_data("delete", 5, True))
    assert press is not None and (press.action, press.session_id, press.yes) == ("delete", 5, True)
    assert read_confirm_press("k1|format|5|y") is None
    assert read_confirm_press("k1|restart|x|y") is None
    assert read_confirm_press("k1|restart|5|") is None


def test_no_documents_or_calendar_button_when_there_is_nothing_to_show() -> None:
    full = assessment("single-permit holder in Belgium bringing a partner")
    result = full.model_copy(
        update={"next_steps": [step.model_copy(update={"documents": []}) for step in full.next_steps]}
    )
    [shown] = messages_for(
        [Reply(kind="result", messages=[], assessment=full)], "en", 3, links=ResultLinks(KEY, "42", 7)
    )
    assert shown.keyboard is not None  # the same result with its documents offers them
    assert text("en", "result.button.documents") in [label for row in shown.keyboard.rows for label, _ in row]
    reply = Reply(kind="result", messages=[], assessment=result)
    [saved] = messages_for([reply], "en", 3, links=ResultLinks(KEY, "42", 7))
    assert saved.keyboard is not None
    labels = [label for row in saved.keyboard.rows for label, _ in row]
    assert text("en", "result.button.documents") not in labels
    assert text("en", "result.button.why") in labels
