"""The shortage lists travel in the pack (occupations.toml): checked, followed by the engine when
the pack is in force, compared by `rules diff`, and listed by `rules stale` when they run out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.engine import Answers, ThresholdTable, active_table, assess, threshold_table, use_table
from bot.rules.check import check_files
from bot.rules.diff import diff_sessions
from bot.rules.pack import LISTS, default_pack, parse_pack
from bot.rules.stale import stale_lists
from tests.rules.conftest import PackWriter, pack_files

DAY = date(2026, 12, 3)
PACKAGED = default_pack().files[LISTS]
OLD_WINDOW = "valid_from = 2025-07-01\nvalid_to = 2026-06-30"
NEW_ACTIRIS = PACKAGED.replace(OLD_WINDOW, "valid_from = 2026-07-01\nvalid_to = 2027-06-30")
WELDER = {
    "nationalities": ["MA"],
    "current_location": "abroad",
    "purposes": ["employee"],
    "work_postcode": "1000",
    "employer_type": "belgian_employer",
    "qualification": "vocational_level_3_4",
    "salary_month_base": 2900,
    "contract_months": 0,
    "special": ["none"],
    "dob": "1990-01-01",
    "occupation": "soudeur",
    "on_list": {"ACTIRIS": "yes"},
    "job_is_highly_qualified": "no",
}


def test_the_actiris_list_of_a_pack_in_force_is_the_one_the_engine_uses() -> None:
    assert OLD_WINDOW in PACKAGED
    answers = Answers.model_validate(WELDER)
    before = assess(answers, DAY)
    assert (before.route_code, [r.code for r in before.review]) == ("SHORTAGE", ["RV-04", "RV-04"])
    pack = parse_pack(pack_files(occupations=NEW_ACTIRIS))
    use_table(pack.table)
    try:
        after = assess(answers, DAY)
        assert (after.route_code, after.routes[0].status, after.review) == ("SHORTAGE", "eligible", [])
    finally:
        use_table(None)
    assert assess(answers, DAY).review  # the packaged list again


def test_a_table_given_to_assess_brings_its_own_lists() -> None:
    answers = Answers.model_validate(WELDER)
    pack = parse_pack(pack_files(occupations=NEW_ACTIRIS))
    assert active_table() is threshold_table()  # the packaged pack stays in force
    given = assess(answers, DAY, table=pack.table)
    assert (given.routes[0].status, given.review) == ("eligible", [])
    assert assess(answers, DAY).review


def test_diff_compares_the_lists_too_and_leaves_the_table_in_force() -> None:
    pack = parse_pack(pack_files(occupations=NEW_ACTIRIS))
    same_amounts = ThresholdTable(list(pack.table.rows), "amounts-only")  # packaged lists
    report = diff_sessions([(7, "needs_review", {"answers": WELDER})], same_amounts, pack.table, DAY)
    [change] = report.changes
    assert (change.before.review, change.after.review) == (("RV-04",), ())
    assert active_table() is threshold_table()


def test_stale_names_a_list_that_ran_out(
    write_pack: PackWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    [stale] = stale_lists(default_pack().lists, DAY)
    assert (stale.id, stale.kind, stale.due) == ("ACTIRIS", "ended", date(2026, 7, 1))
    assert stale_lists(parse_pack(pack_files(occupations=NEW_ACTIRIS)).lists, DAY) == []
    [soon] = stale_lists(
        parse_pack(pack_files(occupations=NEW_ACTIRIS)).lists, date(2027, 6, 1), timedelta(days=60)
    )
    assert (soon.kind, soon.due) == ("ends_soon", date(2027, 7, 1))
    db = str(tmp_path / "guichet.db")
    assert main(["rules", "stale", "--on", "2026-12-03", "--db", db]) == 0
    assert (
        "DUE  list ACTIRIS           Actiris shortage list: validity ended, nothing follows, on 2026-07-01"
        in (capsys.readouterr().out)
    )


@pytest.mark.parametrize(
    ("edit", "where", "reason"),
    [
        (
            lambda t: t.replace("[lists.FOREM]", "[lists.FOREM_2027]"),
            "[lists.FOREM_2027]",
            "unknown list FOREM_2027",
        ),
        (
            lambda t: t.replace('sources = ["P22"]', 'sources = ["P22", "P999"]'),
            "[lists.FOREM]",
            "list FOREM: source P999 not in sources.csv",
        ),
        (
            lambda t: t.replace("valid_to = 2026-06-30", "valid_to = 2025-06-30"),
            "[lists.ACTIRIS]",
            "list ACTIRIS: valid_to 2025-06-30 is before valid_from 2025-07-01",
        ),
        (
            lambda t: t.replace("valid_to = 2026-06-30", 'valid_to = "30/06/2026"'),
            "[lists.ACTIRIS]",
            "list ACTIRIS: valid_to must be a date",
        ),
        (
            lambda t: t.replace(
                'id = "baker"\nlist = "FL_MEDIUM"\nchange = "removed"',
                'id = "baker"\nlist = "FL_MEDIUM"\nchange = "gone"',
            ),
            'id = "baker"',
            "function baker: change must be added or removed",
        ),
    ],
)
def test_list_problems_name_their_line(edit: Callable[[str], str], where: str, reason: str) -> None:
    text = edit(PACKAGED)
    assert text != PACKAGED
    problems = check_files(pack_files(occupations=text))[1]
    line = next(n for n, raw in enumerate(text.splitlines(), 1) if raw.strip() == where)
    assert [(p.file, p.line) for p in problems if reason in p.reason] == [(LISTS, line)], problems


def test_a_list_the_engine_uses_cannot_disappear() -> None:
    start = PACKAGED.index("[lists.FOREM]")
    text = PACKAGED[:start] + PACKAGED[PACKAGED.index("# Named changes") :]
    reasons = [str(p) for p in check_files(pack_files(occupations=text))[1]]
    assert reasons == ["occupations.toml:1: list FOREM is missing (the engine uses it)"]


def test_lists_toml_that_is_not_toml() -> None:
    [problem] = check_files(pack_files(occupations=PACKAGED + "\n[lists\n"))[1]
    assert (
        problem.file == LISTS
        and problem.line == len(PACKAGED.splitlines()) + 2
        and "not valid TOML" in problem.reason
    )
