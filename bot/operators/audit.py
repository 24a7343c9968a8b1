"""The audit log's vocabulary: what operators do, and how a filtered view is described in it.

Entries name the operator, the action, the session number and a short detail — never the personal
data itself (not a note's text, not the words searched for), so the log may outlive an erasure.
"""

from __future__ import annotations

from typing import Final

from bot.store.operators import SessionFilters

LOGIN: Final = "login"
LOGIN_FAILED: Final = "login_failed"
LOGOUT: Final = "logout"
LOGOUT_ALL: Final = "logout_everywhere"
UNLOCK: Final = "unlock"
INVITE_CREATED: Final = "invite_created"
INVITE_REVOKED: Final = "invite_revoked"
VIEW_SHARED: Final = "view_shared_result"
BACKUP: Final = "backup"
RESTORE: Final = "restore"
LIST: Final = "list"
QUEUE: Final = "queue"
VIEW: Final = "view"
EXPORT: Final = "export"
NOTE: Final = "note"
FLAG: Final = "flag"
UNFLAG: Final = "unflag"
ERASE: Final = "erase"
PURGE: Final = "purge"
COUNTS: Final = "counts"
AUDIT_VIEW: Final = "audit_view"
OPERATOR_CREATED: Final = "operator_created"
OPERATOR_DISABLED: Final = "operator_disabled"
PASSWORD_CHANGED: Final = "password_changed"
REMINDERS_ON: Final = "reminders_on"
REMINDERS_OFF: Final = "reminders_off"


def describe_filters(filters: SessionFilters, *, page: int | None = None) -> str:
    """The filters of a list or export for the audit log; a search is recorded by its length only."""
    params = filters.as_params()
    if "search" in params:
        params["search"] = f"({len(params['search'])} characters)"
    if page is not None and page > 1:
        params["page"] = str(page)
    return ", ".join(f"{name}={value}" for name, value in params.items()) or "no filter"
