"""SessionStore: round trips, append-only logs, one-transaction turns, dedupe, restarts, assessments."""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.engine import Assessment, FamilyResult, Review, RouteResult, msg
from bot.store import DuplicateUpdateError, SessionStore, UnknownSessionError

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)


class SteppingClock:
    """A clock that moves one second each time it is read."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    opened = SessionStore(tmp_path / "data" / "g.sqlite3", clock=SteppingClock())
    yield opened
    opened.close()


def _dump(store: SessionStore) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, to compare the whole database before and after."""
    tables = ("sessions", "answers", "transcript", "assessments", "processed_updates", "invites")
    return {t: store._db.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def _assessment(reviews: tuple[str, ...] = ()) -> Assessment:
    return Assessment(
        rules_version="2025-05",
        reference_date=date(2025, 6, 1),
        routes=[RouteResult(code="BLUE_CARD", rule="R-BC", status="eligible")],
        route_code="BLUE_CARD",
        family=FamilyResult(outcome="FAM_EXOFFICIO"),
        review=[Review(code=code, reason=msg("store.test.reason")) for code in reviews],
    )


def test_opening_creates_the_folder_and_uses_wal_and_secure_delete(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "g.sqlite3"
    store = SessionStore(path)
    try:
        assert path.exists()
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert path.stat().st_mode & 0o077 == 0  # readable by its owner only
    finally:
        store.close()


def test_no_session_yet(store: SessionStore) -> None:
    assert store.load_state("telegram", "1") is None


def test_round_trip_of_state_language_status_and_invite(store: SessionStore) -> None:
    state = {"question": "dob", "answers": {"dob": date(1990, 2, 3), "nationality": "BR"}, "history": [1, 2]}
    sid = store.save_turn("telegram", "7", state, lang="nl", invite_token="tok_1")
    loaded = store.load_state("telegram", "7")
    assert loaded is not None
    assert loaded.id == sid
    assert (loaded.channel, loaded.user_key, loaded.lang, loaded.status) == (
        "telegram",
        "7",
        "nl",
        "in_progress",
    )
    assert loaded.state == {
        "question": "dob",
        "answers": {"dob": "1990-02-03", "nationality": "BR"},
        "history": [1, 2],
    }
    assert loaded.invite_token == "tok_1"
    assert loaded.created_at.tzinfo is not None and loaded.created_at > T0
    # a later turn replaces state and language, keeps the invite, and moves updated_at
    assert store.save_turn("telegram", "7", {"question": "salary"}, lang="fr") == sid
    again = store.load_state("telegram", "7")
    assert again is not None
    assert (again.state, again.lang, again.invite_token) == ({"question": "salary"}, "fr", "tok_1")
    assert again.updated_at > loaded.updated_at and again.created_at == loaded.created_at


def test_users_and_channels_are_kept_apart(store: SessionStore) -> None:
    a = store.save_turn("telegram", "5", {"who": "a"}, lang="fr")
    b = store.save_turn("console", "5", {"who": "b"}, lang="en")
    c = store.save_turn("telegram", "6", {"who": "c"}, lang="nl")
    assert len({a, b, c}) == 3
    for channel, user, who in [("telegram", "5", "a"), ("console", "5", "b"), ("telegram", "6", "c")]:
        assert store.load_state(channel, user).state == {"who": who}  # type: ignore[union-attr]


def test_answers_and_transcript_are_appended_in_order(store: SessionStore) -> None:
    turns: list[tuple[list[tuple[str, Any]], str | None, list[str]]] = [
        ([], "/start", ["Bonjour", "Quelle est votre nationalité ?"]),
        ([("nationality", "MA")], "Maroc", ["Date de naissance ?"]),
        ([("dob", date(1991, 1, 31)), ("in_belgium", False)], "31/01/1991", []),
        ([("nationality", "TN")], None, ["Corrigé."]),  # a changed answer is appended, not overwritten
    ]
    for i, (answers, incoming, outgoing) in enumerate(turns):
        sid = store.save_turn(
            "telegram",
            "9",
            {"turn": i},
            lang="fr",
            answers=answers,
            incoming=incoming,
            outgoing=outgoing,
            update_id=100 + i,
        )
    logged = store.get_answers(sid)
    assert [(a.seq, a.field, a.value) for a in logged] == [
        (1, "nationality", "MA"),
        (2, "dob", "1991-01-31"),
        (3, "in_belgium", False),
        (4, "nationality", "TN"),
    ]
    assert logged[0].answered_at < logged[1].answered_at == logged[2].answered_at < logged[3].answered_at
    lines = store.get_transcript(sid)
    assert [(t.seq, t.direction, t.text, t.update_id) for t in lines] == [
        (1, "in", "/start", 100),
        (2, "out", "Bonjour", 100),
        (3, "out", "Quelle est votre nationalité ?", 100),
        (4, "in", "Maroc", 101),
        (5, "out", "Date de naissance ?", 101),
        (6, "in", "31/01/1991", 102),
        (7, "out", "Corrigé.", 103),
    ]


@pytest.mark.parametrize("failing_table", ["answers", "transcript", "processed_updates"])
@pytest.mark.parametrize("existing_session", [False, True])
def test_a_turn_failing_midway_writes_nothing(
    store: SessionStore, failing_table: str, existing_session: bool
) -> None:
    if existing_session:
        store.save_turn(
            "telegram",
            "3",
            {"step": 1},
            lang="en",
            answers=[("a", 1)],
            incoming="x",
            outgoing=["y"],
            update_id=1,
        )
    store._db.execute(
        f"CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON {failing_table} "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )
    before = _dump(store)
    with pytest.raises(sqlite3.IntegrityError, match="disk on fire"):
        store.save_turn(
            "telegram",
            "3",
            {"step": 2},
            lang="fr",
            answers=[("b", 2), ("c", 3)],
            incoming="in",
            outgoing=["out1", "out2"],
            update_id=2,
        )
    assert _dump(store) == before
    assert not store._db.conn.in_transaction
    store._db.execute("DROP TRIGGER fail_midway")
    # the store is still usable and the same update can now be saved
    store.save_turn("telegram", "3", {"step": 2}, lang="fr", answers=[("b", 2)], update_id=2)
    assert store.load_state("telegram", "3").state == {"step": 2}  # type: ignore[union-attr]


def test_a_python_error_midway_writes_nothing(store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.save_turn("telegram", "3", {"step": 1}, lang="en")
    before = _dump(store)

    def explode(*args: object) -> None:
        raise KeyboardInterrupt  # even a BaseException rolls the turn back

    monkeypatch.setattr(store, "_append_transcript", explode)
    with pytest.raises(KeyboardInterrupt):
        store.save_turn(
            "telegram", "3", {"step": 2}, lang="fr", answers=[("b", 2)], incoming="in", update_id=5
        )
    assert _dump(store) == before


def test_dedupe_of_updates(store: SessionStore) -> None:
    assert not store.is_processed(77)
    store.save_turn("telegram", "1", {"n": 1}, lang="fr", answers=[("a", 1)], incoming="hello", update_id=77)
    assert store.is_processed(77)
    assert not store.is_processed(78)
    before = _dump(store)
    with pytest.raises(DuplicateUpdateError) as raised:
        store.save_turn(
            "telegram", "1", {"n": 2}, lang="fr", answers=[("a", 2)], incoming="hello", update_id=77
        )
    assert raised.value.update_id == 77
    assert _dump(store) == before
    # turns without an update id (console) are never deduplicated
    store.save_turn("console", "local", {}, lang="fr", incoming="same")
    store.save_turn("console", "local", {}, lang="fr", incoming="same")
    sid = store.load_state("console", "local").id  # type: ignore[union-attr]
    assert [t.text for t in store.get_transcript(sid)] == ["same", "same"]


def test_new_session_abandons_the_one_in_progress(store: SessionStore) -> None:
    first = store.save_turn("telegram", "2", {"q": 5}, lang="fr", answers=[("a", 1)])
    second = store.new_session("telegram", "2", lang="en", invite_token="inv")
    assert second != first
    loaded = store.load_state("telegram", "2")
    assert loaded is not None
    assert (loaded.id, loaded.state, loaded.lang, loaded.status, loaded.invite_token) == (
        second,
        {},
        "en",
        "in_progress",
        "inv",
    )
    status = store._db.execute("SELECT status FROM sessions WHERE id = ?", [first]).fetchone()[0]
    assert status == "abandoned"
    assert store.get_answers(second) == [] and len(store.get_answers(first)) == 1
    assert store.save_turn("telegram", "2", {"q": 1}, lang="en", answers=[("b", 2)]) == second
    assert [a.seq for a in store.get_answers(second)] == [1]


@pytest.mark.parametrize(("reviews", "status"), [((), "completed"), (("RV-07", "RV-02"), "needs_review")])
def test_new_session_keeps_a_finished_session_and_assessment(
    store: SessionStore, reviews: tuple[str, ...], status: str
) -> None:
    first = store.save_turn("telegram", "2", {"q": "result"}, lang="fr")
    store.save_assessment(first, _assessment(reviews))
    store.new_session("telegram", "2", lang="fr")
    row = store._db.execute("SELECT status, completed_at FROM sessions WHERE id = ?", [first]).fetchone()
    assert row[0] == status and row[1] is not None


@pytest.mark.parametrize(
    ("reviews", "status", "codes"),
    [((), "completed", "[]"), (("RV-07", "RV-02", "RV-07"), "needs_review", '["RV-02","RV-07"]')],
)
def test_save_assessment(store: SessionStore, reviews: tuple[str, ...], status: str, codes: str) -> None:
    sid = store.save_turn("telegram", "4", {"q": "summary"}, lang="nl")
    assessment = _assessment(reviews)
    store.save_assessment(sid, assessment)
    loaded = store.load_state("telegram", "4")
    assert loaded is not None and loaded.status == status and loaded.completed_at is not None
    row = store._db.execute(
        "SELECT rules_version, reference_date, route_code, family_outcome, review_codes FROM assessments"
    ).fetchone()
    assert row == ("2025-05", "2025-06-01", "BLUE_CARD", "FAM_EXOFFICIO", codes)
    assert store.latest_assessment(sid) == assessment


def test_save_assessment_for_an_unknown_session(store: SessionStore) -> None:
    with pytest.raises(UnknownSessionError):
        store.save_assessment(999, _assessment())
    assert store._db.execute("SELECT COUNT(*) FROM assessments").fetchone()[0] == 0


def test_status_is_validated(store: SessionStore) -> None:
    with pytest.raises(ValueError, match="status"):
        store.save_turn("telegram", "1", {}, lang="fr", status="done")
    assert store.load_state("telegram", "1") is None


def test_completed_at_follows_the_status(store: SessionStore) -> None:
    store.save_turn("telegram", "1", {}, lang="fr", status="completed")
    done = store.load_state("telegram", "1")
    assert done is not None and done.completed_at is not None
    store.save_turn("telegram", "1", {}, lang="fr", status="completed")
    assert store.load_state("telegram", "1").completed_at == done.completed_at  # type: ignore[union-attr]
    store.save_turn("telegram", "1", {}, lang="fr")
    assert store.load_state("telegram", "1").completed_at is None  # type: ignore[union-attr]


def test_the_store_refuses_other_threads(store: SessionStore) -> None:
    errors: list[BaseException] = []

    def use() -> None:
        try:
            store.load_state("telegram", "1")
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=use)
    worker.start()
    worker.join()
    assert len(errors) == 1 and isinstance(errors[0], sqlite3.ProgrammingError)


def test_naive_times_are_refused(store: SessionStore) -> None:
    with pytest.raises(ValueError, match="naive"):
        store.purge_older_than(1, now=datetime(2025, 1, 1))


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SessionStore]:
    opened = SessionStore(tmp_path_factory.mktemp("prop") / "g.sqlite3")
    yield opened
    opened.close()


_fresh_users = itertools.count()
_json_values = (
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.lists(st.integers(), max_size=3)
)
_turns = st.lists(
    st.tuples(
        st.lists(st.tuples(st.sampled_from(["a", "b", "dob", "salary"]), _json_values), max_size=3),
        st.none() | st.text(max_size=30),
        st.lists(st.text(max_size=30), max_size=3),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=80, deadline=None)
@given(turns=_turns)
def test_logs_are_the_turns_concatenated_in_order(
    shared_store: SessionStore, turns: list[tuple[list[tuple[str, Any]], str | None, list[str]]]
) -> None:
    user = next(_fresh_users)  # every example is a new user
    for answers, incoming, outgoing in turns:
        sid = shared_store.save_turn(
            "prop", str(user), {}, lang="en", answers=answers, incoming=incoming, outgoing=outgoing
        )
    expected_answers = [pair for answers, _, _ in turns for pair in answers]
    expected_lines = [
        line
        for _, incoming, outgoing in turns
        for line in ([("in", incoming)] if incoming is not None else [])
        + [("out", text) for text in outgoing]
    ]
    logged = shared_store.get_answers(sid)
    assert [(a.field, a.value) for a in logged] == expected_answers
    assert [a.seq for a in logged] == list(range(1, len(expected_answers) + 1))
    lines = shared_store.get_transcript(sid)
    assert [(t.direction, t.text) for t in lines] == expected_lines
    assert [t.seq for t in lines] == list(range(1, len(expected_lines) + 1))
