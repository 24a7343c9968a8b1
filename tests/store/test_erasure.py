"""Erasure and retention: deleted data leaves no trace in the database, WAL or shared-memory files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.engine import Assessment, FamilyResult, Review, RouteResult, msg
from bot.store import SessionStore

ERASED = "QUOKKA-7f3a9c-erase-me"
KEPT = "WOMBAT-2b8e51-keep-me"
NOW = datetime(2025, 9, 1, 12, 0, tzinfo=UTC)


class SettableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _raw_bytes(db_path: Path) -> bytes:
    """The bytes of the database and of its -wal and -shm files, as they are on disk."""
    parts = [Path(f"{db_path}{suffix}") for suffix in ("", "-wal", "-shm")]
    return b"".join(part.read_bytes() for part in parts if part.exists())


def _assessment(note: str) -> Assessment:
    return Assessment(
        rules_version="v",
        reference_date=date(2025, 9, 1),
        routes=[RouteResult(code="HQ", rule="R-HQ", status="review")],
        route_code="HQ",
        family=FamilyResult(),
        review=[Review(code="RV-05", reason=msg("store.test.reason", note=note))],
    )


def _write_user(store: SessionStore, user_key: str, mark: str, turns: int) -> int:
    """Write a user's conversation carrying ``mark`` everywhere; return the number of rows written."""
    rows = 0
    for i in range(turns):
        long_reply = f"Résumé {i}: " + (f"{mark} " * 400)  # > one page: exercises overflow pages
        store.save_turn(
            "telegram",
            user_key,
            {"employer": f"{mark} SA", "turn": i},
            lang="fr",
            answers=[("employer_name", f"{mark} SA"), ("occupation", f"{mark} engineer {i}")],
            incoming=f"My name is {mark} ({i})",
            outgoing=[f"Merci {mark}", long_reply],
            update_id=None,
        )
        rows += 2 + 3  # answers, transcript
    session_id = store.load_state("telegram", user_key).id  # type: ignore[union-attr]
    store.save_assessment(session_id, _assessment(mark))
    store.new_session("telegram", user_key, lang="fr")
    store.save_turn("telegram", user_key, {"again": mark}, lang="fr", incoming=mark)
    return rows + 1 + 1 + 1 + 1  # assessment, first session, second session, its transcript line


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "guichet.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[SessionStore]:
    opened = SessionStore(db_path, clock=SettableClock(NOW))
    yield opened
    opened.close()


@pytest.mark.parametrize("turns", [1, 12])
def test_erase_user_leaves_no_trace(store: SessionStore, db_path: Path, turns: int) -> None:
    _write_user(store, "111", KEPT, turns)
    expected = _write_user(store, "222", ERASED, turns)
    _write_user(store, "333", KEPT + "-too", 2)
    raw = _raw_bytes(db_path)
    assert ERASED.encode() in raw and KEPT.encode() in raw  # the byte search does find stored text

    assert store.erase_user("telegram", "222") == expected

    raw = _raw_bytes(db_path)
    assert ERASED.encode() not in raw
    assert KEPT.encode() in raw
    assert store.load_state("telegram", "222") is None
    assert store.load_state("telegram", "111") is not None
    assert store.load_state("telegram", "333") is not None
    store.close()
    assert ERASED.encode() not in _raw_bytes(db_path)


def test_erasing_an_unknown_user_deletes_nothing(store: SessionStore) -> None:
    _write_user(store, "111", KEPT, 1)
    assert store.erase_user("telegram", "999") == 0
    assert store.erase_user("console", "111") == 0
    assert store.load_state("telegram", "111") is not None


def test_a_user_can_start_again_after_erasure(store: SessionStore) -> None:
    _write_user(store, "222", ERASED, 1)
    store.erase_user("telegram", "222")
    sid = store.save_turn("telegram", "222", {}, lang="nl", answers=[("a", 1)], incoming="hallo")
    assert [a.seq for a in store.get_answers(sid)] == [1]
    assert [t.text for t in store.get_transcript(sid)] == ["hallo"]


def test_purge_older_than(db_path: Path) -> None:
    clock = SettableClock(NOW - timedelta(days=400))
    store = SessionStore(db_path, clock=clock)
    try:
        store.save_turn(
            "telegram", "old", {"m": ERASED}, lang="fr", answers=[("x", ERASED)], incoming=ERASED, update_id=1
        )
        old_invite = store.create_invite("Old SA", {"note": ERASED}, expires_at=NOW - timedelta(days=300))
        clock.now = NOW - timedelta(days=181)
        revoked_long_ago = store.create_invite("Gone SA", {})
        store.revoke_invite(revoked_long_ago)
        clock.now = NOW - timedelta(days=180)  # exactly at the limit: kept
        store.save_turn("telegram", "edge", {}, lang="fr", answers=[("x", KEPT)], update_id=2)
        clock.now = NOW - timedelta(days=10)
        recent_invite = store.create_invite("New SA", {})
        store.revoke_invite(recent_invite)
        store.save_turn("telegram", "recent", {}, lang="fr", incoming=KEPT, update_id=3)
        # an old session touched recently is kept
        clock.now = NOW - timedelta(days=390)
        store.save_turn("telegram", "returning", {}, lang="fr", answers=[("x", 1)])
        clock.now = NOW - timedelta(days=1)
        store.save_turn("telegram", "returning", {}, lang="fr", answers=[("y", 2)])

        deleted = store.purge_older_than(180, now=NOW)

        # session + answer + transcript line, update 1, the expired and the long-revoked invites
        assert deleted == 3 + 1 + 2
        assert store.load_state("telegram", "old") is None
        for user in ("edge", "recent", "returning"):
            assert store.load_state("telegram", user) is not None
        returning = store.load_state("telegram", "returning")
        assert [a.field for a in store.get_answers(returning.id)] == ["x", "y"]  # type: ignore[union-attr]
        assert (store.is_processed(1), store.is_processed(2), store.is_processed(3)) == (False, True, True)
        assert {invite.token for invite in store.list_invites()} == {recent_invite}
        assert old_invite not in {invite.token for invite in store.list_invites()}
        raw = _raw_bytes(db_path)
        assert ERASED.encode() not in raw and KEPT.encode() in raw
        assert store.purge_older_than(180, now=NOW) == 0
    finally:
        store.close()


def test_purge_rejects_negative_days(store: SessionStore) -> None:
    with pytest.raises(ValueError):
        store.purge_older_than(-1)
