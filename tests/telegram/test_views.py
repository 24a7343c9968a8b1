"""Dialogue replies → Telegram messages, without the network: labels, help, results, signed buttons."""

from __future__ import annotations

from bot.engine.message import msg
from bot.i18n import text
from bot.telegram.links import (
    ResultLinks,
    confirm_data,
    read_confirm_press,
    read_result_press,
    signing_key,
)
from bot.telegram.views import MAX_LABEL, button_label, messages_for
from flows.dialogue import Option, Reply
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
    # Since the partner's next step (registering the cohabitation) lists documents, the steps are
    # cleared here: a result with no step has neither documents nor dates.
    result = assessment("single-permit holder in Belgium bringing a partner").model_copy(
        update={"next_steps": []}
    )
    reply = Reply(kind="result", messages=[], assessment=result)
    [saved] = messages_for([reply], "en", 3, links=ResultLinks(KEY, "42", 7))
    assert saved.keyboard is not None
    labels = [label for row in saved.keyboard.rows for label, _ in row]
    assert text("en", "result.button.documents") not in labels
    assert text("en", "result.button.why") in labels
