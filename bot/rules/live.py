"""The running bot follows the pack in force: a small read of the store every few seconds, off the
turn path; when the version changes, the new table is put in force for the next assessments."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.engine import ThresholdTable, active_table, use_table
from bot.rules.pack import parse_pack
from bot.store.packs import read_active_version, read_pack_files

CHECK_EVERY_S = 2.0

log = logging.getLogger(__name__)


def load_table(db_path: str | Path, current: str | None) -> ThresholdTable | None:
    """The table of the pack in force, or None when it is the packaged one (no pack applied, or
    rolled back to the packaged tables). ``current`` is the version already in force: then the
    table is not read again (returns the active table)."""
    version = read_active_version(db_path)
    if version is None:
        return None
    if version == current:
        return active_table()
    files = read_pack_files(db_path, version)
    return None if files is None else parse_pack(files).table


def refresh(db_path: str | Path) -> str:
    """Make the store's pack in force this process's active table; returns its version."""
    use_table(load_table(db_path, active_table().version))
    return active_table().version


async def _changed(on_change: Callable[[str], Awaitable[object]] | None, version: str) -> None:
    if on_change is None:
        return
    try:
        await on_change(version)
    except Exception as error:  # the new table stays in force; only the follow-up failed
        log.error("after the rules pack %s came in force: %s", version, type(error).__name__)


async def follow_rules(
    db_path: str | Path,
    stop: asyncio.Event,
    every_s: float | None = None,
    on_change: Callable[[str], Awaitable[object]] | None = None,
) -> None:
    """Until ``stop``: every ``every_s`` seconds (default :data:`CHECK_EVERY_S`), check the version in
    force in a worker thread and swap the engine's table when it changed, then call ``on_change``
    with the new version (e.g. to notice the results it changes; a failure there is logged). A pack
    that cannot be read keeps the current table (and is logged). The packaged table is put back on
    the way out."""
    last_error = ""
    try:
        while not stop.is_set():
            current = active_table().version
            try:
                table = await asyncio.to_thread(load_table, db_path, current)
            except Exception as exc:  # the store busy, a pack unreadable: keep the table, try again later
                if str(exc) != last_error:  # logged once, not every few seconds
                    log.error("rules pack check failed (the current table stays in force): %s", exc)
                last_error = str(exc)
            else:
                last_error = ""
                use_table(table)
                if active_table().version != current:
                    log.info("rules pack in force: %s", active_table().version)
                    await _changed(on_change, active_table().version)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=CHECK_EVERY_S if every_s is None else every_s)
    finally:
        use_table(None)
