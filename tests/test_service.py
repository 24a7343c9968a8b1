"""The session service decides start-or-resume, restart and status once, for every channel."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot import service
from bot.store import COMPLETED, IN_PROGRESS, NEEDS_REVIEW, StoredSession
from flows.dialogue import ChoiceInput, Command, Dialogue, Reply, TextInput, Turn
from flows.session import RESULT
from tests.result.personas import assessment

DIALOGUE = Dialogue(today=date(2026, 11, 23))
NOW = datetime(2026, 11, 23, tzinfo=UTC)


def stored(status: str, state: dict[str, object]) -> StoredSession:
    return StoredSession(1, "telegram", "7", status, "fr", state, None, NOW, NOW)


def test_nothing_saved_starts_without_a_new_session() -> None:
    step = service.open_session(DIALOGUE, None, "nl")
    assert step.turn.state.lang == "nl" and not step.new_session
    assert step.status == IN_PROGRESS and step.assessment is None


def test_an_interview_in_progress_is_resumed_where_it_stopped() -> None:
    first = DIALOGUE.start("fr")
    answered = DIALOGUE.handle(first.state, TextInput("Inde"))
    step = service.open_session(DIALOGUE, stored(IN_PROGRESS, answered.state.to_dict()), "en")
    assert not step.new_session
    assert step.turn.state.answers == answered.state.answers and step.turn.state.lang == "fr"


def test_a_finished_interview_or_an_invitation_starts_a_new_session() -> None:
    done = stored(COMPLETED, DIALOGUE.start("fr").state.to_dict())
    assert service.open_session(DIALOGUE, done, "fr").new_session
    progress = stored(IN_PROGRESS, DIALOGUE.start("fr").state.to_dict())
    invited = service.open_session(DIALOGUE, progress, "fr", prefill={"work_postcode": "1000"}, invited=True)
    assert invited.new_session and invited.turn.state.prefill == {"work_postcode": "1000"}


def test_restart_means_a_new_session_and_other_events_do_not() -> None:
    state = DIALOGUE.handle(DIALOGUE.start("en").state, TextInput("India")).state
    assert service.handle(DIALOGUE, state, Command("restart"), "en").new_session
    assert not service.handle(DIALOGUE, state, Command("back"), "en").new_session
    at_result = state.model_copy(update={"current": RESULT})
    assert service.is_restart(at_result, ChoiceInput("result", "restart", at_result.version))
    assert not service.is_restart(state, ChoiceInput("q", "restart", state.version))


def test_the_status_follows_the_result_and_its_reviews() -> None:
    turn = DIALOGUE.start("en")
    assert service.Step(turn).status == IN_PROGRESS
    for persona, expected in (("single worker with a job offer", COMPLETED), ("student", NEEDS_REVIEW)):
        result = assessment(persona)
        finished = turn.state.model_copy(update={"current": RESULT})
        step = service.Step(Turn(finished, [Reply(kind="result", messages=[], assessment=result)]))
        assert step.assessment == result and step.status == expected
