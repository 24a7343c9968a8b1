"""What the console's "Rules" page and its front page show of the rules packs: every amount with its
validity, its sources (titled links) and its stale flag; the amounts due for an update; the packs'
history. Read from the store on each request (a few small queries), so an applied pack shows at once.
The view is the same for every operator; ``RulesView.labels`` words its values in one's language."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from bot.engine import Source, ThresholdRow, active_table
from bot.i18n import Lang
from bot.operators.labels import RulesLabels, source_title
from bot.rules.pack import RulesPack
from bot.rules.registry import pack_in_force
from bot.rules.stale import StaleAmount, StaleList, stale_amounts, stale_lists
from bot.store.packs import PackEvent, PackStore, StoredPack

TITLE_LENGTH = 80


class RegisterInForce(Mapping[str, Source]):
    """The source register of the rules pack in force in this process (the console follows it):
    sources a pack added are named on the session pages too."""

    def __getitem__(self, source_id: str) -> Source:
        return active_table().register()[source_id]

    def __iter__(self) -> Iterator[str]:
        return iter(active_table().register())

    def __len__(self) -> int:
        return len(active_table().register())


@dataclass(frozen=True)
class SourceLink:
    """A source as the console shows it: its ID, its register entry (None for a source missing from
    the register: the page says so) and an address when it is a public page (seed documents are named,
    never linked by their internal path)."""

    id: str
    source: Source | None
    href: str | None

    @classmethod
    def of(cls, source_id: str, register: dict[str, Source]) -> SourceLink:
        """The link of ``source_id``."""
        source = register.get(source_id)
        return cls(source_id, source, source.url if source else None)

    def title(self, lang: Lang) -> tuple[str, Lang] | None:
        """The title for ``lang`` (at most 80 characters) and the language it is written in."""
        if self.source is None:
            return None
        title, written_in = source_title(self.source, lang)
        return (title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"), written_in


@dataclass(frozen=True)
class AmountLine:
    """One row of the pack, with its stale flag and sources."""

    row: ThresholdRow
    stale: bool
    due: StaleAmount | None
    sources: list[SourceLink]


@dataclass(frozen=True)
class ListLine:
    """A shortage list of the pack: its validity (``raw`` = its occupations.toml table) and sources."""

    id: str
    raw: dict[str, Any]
    sources: list[SourceLink]


@dataclass(frozen=True)
class RulesView:
    """The pack in force and everything the Rules page lists."""

    pack: RulesPack
    stored: StoredPack | None
    today: date
    amounts: list[AmountLine]
    due: list[StaleAmount]
    lists: list[ListLine]
    due_lists: list[StaleList]
    packs: list[StoredPack]
    history: list[PackEvent]

    def labels(self, lang: Lang) -> RulesLabels:
        """The pack's machine values for people in ``lang`` (the templates' way to the labels)."""
        return RulesLabels(lang)


def rules_view(db_path: str | Path, today: date) -> RulesView:
    """Read the pack in force, the stored packs and the history; flag what is stale on ``today``."""
    store = PackStore(db_path, migrate_schema=False)  # the console's stores migrated it at start
    try:
        pack = pack_in_force(store)
        stored, packs, history = store.get(pack.version), store.packs(), store.history()
    finally:
        store.close()
    register = dict(pack.sources)
    due = stale_amounts(pack.table.rows, today)
    lists = [
        ListLine(list_id, raw, [SourceLink.of(s, register) for s in raw.get("sources", [])])
        for list_id, raw in sorted(dict(pack.lists.get("lists", {})).items())
    ]
    due_by_row = {id(item.row): item for item in due}
    amounts = [
        AmountLine(
            row,
            row.stale_on(today),
            due_by_row.get(id(row)),
            [SourceLink.of(s, register) for s in row.sources],
        )
        for row in pack.table.rows
    ]
    due_lists = stale_lists(pack.lists, today)
    return RulesView(pack, stored, today, amounts, due, lists, due_lists, packs, history)


def due_for_update(db_path: str | Path, today: date) -> RulesView:
    """The front page's box: the pack in force and its amounts and lists due, or soon due, for an update."""
    return rules_view(db_path, today)
