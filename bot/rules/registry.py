"""Putting packs in force: apply (checked first; a bad pack changes nothing), roll back, and read
the pack in force from the store."""

from __future__ import annotations

from collections.abc import Mapping

from bot.rules.check import check_files
from bot.rules.pack import (
    MANIFEST,
    RESERVED_VERSIONS,
    PackError,
    Problem,
    RulesPack,
    default_pack,
    parse_pack,
)
from bot.store.packs import NewPack, PackExistsError, PackStore

_parsed: dict[tuple[str, str], RulesPack] = {}


class RulesError(Exception):
    """An operation the operator asked for that cannot be done; the message says why."""


def apply_pack(store: PackStore, files: Mapping[str, str], by: str) -> RulesPack:
    """Check the pack, store it and put it in force, in one transaction. PackError (with every
    problem) or RulesError (version already used) leave the store as it was."""
    pack, problems = check_files(files)
    if problems or pack is None:
        raise PackError(problems)
    if pack.version == default_pack().version:
        raise PackError(
            [Problem(MANIFEST, 1, f"version {pack.version} is the packaged tables' own; choose another")]
        )
    manifest = pack.manifest
    try:
        store.add(
            NewPack(manifest.version, manifest.date, manifest.author, manifest.note, pack.digest, pack.files),
            by,
        )
    except PackExistsError as exc:
        raise RulesError(
            f"version {pack.version} is already stored; give the new pack a new version "
            f"(or put that one back in force with: guichet rules rollback {pack.version})"
        ) from exc
    return pack


def rollback(store: PackStore, version: str, by: str) -> str:
    """Put back in force an earlier pack (``default``: the packaged tables); returns its version."""
    packaged = default_pack().version
    wanted = packaged if version in RESERVED_VERSIONS else version
    if wanted != packaged and store.get(wanted) is None:
        known = ", ".join(pack.version for pack in store.packs()) or "none"
        raise RulesError(
            f"no pack {version} in the store (stored: {known}; or 'default' for the packaged tables)"
        )
    if wanted == (store.active_version() or packaged):
        raise RulesError(f"{wanted} is already in force")
    store.activate(wanted, by)
    return wanted


def pack_of(store: PackStore, version: str | None) -> RulesPack:
    """The pack of ``version`` (None or the packaged version: the packaged tables)."""
    if version is None or version == default_pack().version or version in RESERVED_VERSIONS:
        return default_pack()
    stored = store.get(version)
    if stored is None:
        raise RulesError(f"no pack {version} in the store")
    key = (stored.version, stored.digest)
    if key not in _parsed:  # a stored pack never changes: parsed once per process
        _parsed.clear()
        _parsed[key] = parse_pack(stored.files)
    return _parsed[key]


def pack_in_force(store: PackStore) -> RulesPack:
    """The pack in force (the packaged tables when none was applied, or after a rollback to them;
    also when the version in force is a packaged version of an earlier release)."""
    version = store.active_version()
    if version is None or store.get(version) is None:
        return default_pack()
    return pack_of(store, version)
