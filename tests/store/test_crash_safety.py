"""Crash safety: a writer killed with SIGKILL mid-way loses no committed turn and leaves no half turn."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot.store import SessionStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ANSWERS_PER_TURN = 2
LINES_PER_TURN = 3

WRITER = textwrap.dedent(
    """
    import sys
    from bot.store import SessionStore

    store = SessionStore(sys.argv[1])
    start = int(sys.argv[2])
    for i in range(start, start + 1_000_000):
        store.save_turn(
            "telegram", f"user{i % 7}", {"last": i}, lang="fr",
            answers=[("turn", i), ("double", 2 * i)],
            incoming=f"in {i}", outgoing=[f"out {i}", "x" * 3000],
            update_id=i,
        )
        print(i, flush=True)  # only after save_turn returned: the turn is committed
    """
)


def _run_writer_and_kill(db_path: Path, start: int, kill_after: int) -> set[int]:
    """Start a writer, SIGKILL it after it reports ``kill_after`` commits; return the reported turns."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(start)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    reported: set[int] = set()
    try:
        assert child.stdout is not None
        for line in child.stdout:
            reported.add(int(line))
            if len(reported) >= kill_after:
                break
        else:
            pytest.fail(f"writer stopped early: {child.stderr.read() if child.stderr else ''}")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    return reported


@pytest.mark.parametrize("kill_after", [1, 37, 150])
def test_killed_writer_keeps_every_committed_turn(tmp_path: Path, kill_after: int) -> None:
    db_path = tmp_path / "g.sqlite3"
    reported = _run_writer_and_kill(db_path, start=0, kill_after=kill_after)
    # a second writer after the crash, killed again, then a check of everything
    reported |= _run_writer_and_kill(db_path, start=100_000, kill_after=kill_after)

    store = SessionStore(db_path)
    try:
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        committed = {u for (u,) in store._db.execute("SELECT update_id FROM processed_updates")}
        assert reported <= committed
        for first in (0, 100_000):  # each writer's turns form an unbroken run: no gap, no half turn
            run = sorted(u for u in committed if first <= u < first + 100_000)
            assert run == list(range(first, first + len(run)))
        answers = store._db.execute("SELECT value_json FROM answers WHERE field = 'turn'").fetchall()
        assert {int(v) for (v,) in answers} == committed
        assert store._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == ANSWERS_PER_TURN * len(
            committed
        )
        per_update = dict(
            store._db.execute("SELECT update_id, COUNT(*) FROM transcript GROUP BY update_id").fetchall()
        )
        assert per_update == dict.fromkeys(committed, LINES_PER_TURN)
        for k in range(7):  # each user's saved state is the one of their last committed turn
            theirs = [u for u in committed if u % 7 == k]
            session = store.load_state("telegram", f"user{k}")
            assert (session.state["last"] if session else None) == (max(theirs) if theirs else None)
    finally:
        store.close()
