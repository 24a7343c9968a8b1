"""A session's outcomes: its assessments, and the hand-off messages that asked an adviser to follow it
up (a part of :class:`~bot.store.SessionStore`)."""

from __future__ import annotations

from bot.engine import Assessment
from bot.store.base import StoreBase
from bot.store.connection import immediate_transaction
from bot.store.records import (
    COMPLETED,
    NEEDS_REVIEW,
    StoredSession,
    UnknownSessionError,
    dump_json,
    session_from_row,
)


class OutcomeStore(StoreBase):
    """The ``assessments`` and ``handoffs`` tables."""

    def save_assessment(self, session_id: int, assessment: Assessment) -> None:
        """Store the assessment (JSON and indexed columns) and mark the session completed, or
        needs_review when the assessment lists reviews. Raises UnknownSessionError."""
        now = self._now()
        status = NEEDS_REVIEW if assessment.review else COMPLETED
        with immediate_transaction(self._db):
            updated = self._db.execute(
                "UPDATE sessions SET status = ?, updated_at = ?, completed_at = ? WHERE id = ?",
                [status, now, now, session_id],
            ).rowcount
            if updated == 0:
                raise UnknownSessionError(f"no session {session_id}")
            self._db.table("assessments").insert(
                {
                    "session_id": session_id,
                    "created_at": now,
                    "rules_version": assessment.rules_version,
                    "reference_date": assessment.reference_date.isoformat(),
                    "route_code": assessment.route_code,
                    "family_outcome": assessment.family.outcome,
                    "review_codes": dump_json(sorted({review.code for review in assessment.review})),
                    "assessment_json": assessment.model_dump_json(),
                }
            )

    def latest_assessment(self, session_id: int) -> Assessment | None:
        """The session's most recent assessment, or None."""
        row = self._db.execute(
            "SELECT assessment_json FROM assessments WHERE session_id = ? ORDER BY id DESC LIMIT 1",
            [session_id],
        ).fetchone()
        return None if row is None else Assessment.model_validate_json(row[0])

    def create_handoff(self, session_id: int, operator_chat_id: int, operator_message_id: int) -> None:
        """Remember the operators'-chat message that asked an adviser to follow up a session."""
        with immediate_transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO handoffs VALUES (?, ?, ?, ?)",
                [operator_chat_id, operator_message_id, session_id, self._now()],
            )

    def find_handoff(self, operator_chat_id: int, operator_message_id: int) -> StoredSession | None:
        """The session a hand-off message in the operators' chat belongs to, if it still exists."""
        row = next(
            self._db.query(
                "SELECT s.* FROM handoffs h JOIN sessions s ON s.id = h.session_id "
                "WHERE h.operator_chat_id = ? AND h.operator_message_id = ?",
                [operator_chat_id, operator_message_id],
            ),
            None,
        )
        return None if row is None else session_from_row(row)
