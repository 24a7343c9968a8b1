"""`guichet rules check`: the packaged tables pass; each kind of problem is named with its file,
its line and the reason, and the command exits 2."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from bot.cli import main
from bot.rules.check import check_files
from bot.rules.pack import MANIFEST, SOURCES, THRESHOLDS, Problem, default_pack, read_pack_files
from tests.rules.conftest import PackWriter, add_row, edit_row, line_of, pack_files

PACKAGED = default_pack().files


def problems_of(files: dict[str, str]) -> list[Problem]:
    return check_files(files)[1]


def test_the_packaged_tables_are_a_valid_pack() -> None:
    pack, problems = check_files(PACKAGED)
    assert problems == []
    assert pack is not None and pack.version == default_pack().version


def test_check_command_accepts_a_folder_and_a_zip(
    write_pack: PackWriter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_pack(pack_files())
    assert main(["rules", "check", str(folder)]) == 0
    assert "2026.12-v1 is valid" in capsys.readouterr().out
    archive = tmp_path / "pack.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for file in folder.iterdir():
            out.write(file, f"pack-2026-12/{file.name}")  # one folder inside the zip, as zip tools make
    assert main(["rules", "check", str(archive)]) == 0


def test_overlapping_windows_name_both_lines() -> None:
    text = edit_row(PACKAGED[THRESHOLDS], "BXL_HQ", "2024-10-01", valid_to="2025-03-31")
    [problem] = problems_of(pack_files(thresholds=text))
    assert problem.file == THRESHOLDS
    assert problem.line == line_of(text, "BXL_HQ", "Highly qualified (78 % of the average wage)", "3703.44")
    first = line_of(text, "BXL_HQ", "Highly qualified (78 % of the average wage)", "3591.12")
    assert f"overlaps line {first}" in problem.reason and problem.reason.startswith("BXL_HQ:")


def test_a_second_open_ended_row_overlaps() -> None:
    text = add_row(PACKAGED[THRESHOLDS], id="FL_HQ", amount="50000", valid_from="2026-01-01", valid_to="")
    [problem] = problems_of(pack_files(thresholds=text))
    assert (
        problem.line == len(text.splitlines())
        and "FL_HQ: validity 2026-01-01 … open overlaps" in problem.reason
    )


def test_a_rejected_row_may_overlap_an_active_one() -> None:
    text = add_row(
        PACKAGED[THRESHOLDS],
        id="FL_HQ",
        amount="50000",
        valid_from="2026-01-01",
        valid_to="",
        status="rejected",
    )
    assert problems_of(pack_files(thresholds=text)) == []


def test_a_source_missing_from_the_register() -> None:
    text = edit_row(PACKAGED[THRESHOLDS], "BXL_EXEC", "2025-01-01", sources="P02; P99")
    [problem] = problems_of(pack_files(thresholds=text))
    assert (problem.file, problem.line) == (THRESHOLDS, line_of(text, "BXL_EXEC"))
    assert problem.reason == "BXL_EXEC: source P99 not in sources.csv"


@pytest.mark.parametrize(("amount", "shown"), [("0", "0"), ("-4748", "-4748")])
def test_an_amount_must_be_positive(amount: str, shown: str) -> None:
    text = edit_row(PACKAGED[THRESHOLDS], "BXL_BC", "2025-01-01", amount=amount)
    [problem] = problems_of(pack_files(thresholds=text))
    prefix = f"BXL_BC,EU Blue Card (100 % of the average wage),{amount},"
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(prefix))
    assert (problem.line, problem.reason) == (line, f"BXL_BC: amount {shown} must be positive")


def test_an_active_row_needs_an_amount_and_a_known_status() -> None:
    text = edit_row(PACKAGED[THRESHOLDS], "BXL_EXEC", "2025-01-01", amount="", status="actif")
    reasons = [p.reason for p in problems_of(pack_files(thresholds=text))]
    assert any("status 'actif' is not one of" in reason for reason in reasons)
    text = edit_row(PACKAGED[THRESHOLDS], "BXL_EXEC", "2025-01-01", amount="")
    reasons = [p.reason for p in problems_of(pack_files(thresholds=text))]
    assert "BXL_EXEC: an active row needs an amount" in reasons


def test_a_window_that_ends_before_it_starts() -> None:
    text = edit_row(PACKAGED[THRESHOLDS], "FEE_VISA_D", "2019-01-01", valid_to="2018-12-31")
    [problem] = problems_of(pack_files(thresholds=text))
    assert problem.reason == "FEE_VISA_D: valid_to 2018-12-31 is before valid_from 2019-01-01"


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"valid_from": "01/01/2025"}, "valid_from '01/01/2025' is not a date written YYYY-MM-DD"),
        ({"amount": "6 647,20"}, "amount '6 647,20' is not a number (use a dot for decimals, no spaces)"),
    ],
)
def test_a_cell_that_cannot_be_read(cells: dict[str, str], reason: str) -> None:
    text = edit_row(PACKAGED[THRESHOLDS], "BXL_EXEC", "2025-01-01", **cells)
    [problem] = problems_of(pack_files(thresholds=text))
    assert (problem.file, problem.line, problem.reason) == (THRESHOLDS, line_of(text, "BXL_EXEC"), reason)


def test_a_row_with_a_missing_cell_and_a_missing_column() -> None:
    lines = PACKAGED[THRESHOLDS].splitlines()
    lines[4] = lines[4].rsplit(",", 1)[0]  # the note cell dropped
    [problem] = problems_of(pack_files(thresholds="\n".join(lines)))
    assert (problem.line, problem.reason) == (5, "expected 16 cells")
    header = PACKAGED[THRESHOLDS].replace("stale_from,", "stale,", 1)
    [problem] = problems_of(pack_files(thresholds=header))
    assert (problem.line, problem.reason) == (1, "missing column(s): stale_from")


def test_sources_listed_twice_or_of_an_unknown_kind() -> None:
    lines = PACKAGED[SOURCES].splitlines()
    text = "\n".join([*lines, lines[1], lines[2].replace(",seed,", ",blog,", 1)])
    problems = problems_of(pack_files(sources=text))
    assert [(p.line, p.reason) for p in problems] == [
        (len(lines) + 1, "S000: listed twice"),
        (len(lines) + 2, "S001: kind must be seed or public, not 'blog'"),
        (len(lines) + 2, "S001: listed twice"),
    ]


def test_an_amount_the_engine_uses_cannot_disappear() -> None:
    text = "\n".join(line for line in PACKAGED[THRESHOLDS].splitlines() if not line.startswith("LTR_DEP,"))
    [problem] = problems_of(pack_files(thresholds=text))
    assert str(problem) == "thresholds.csv: LTR_DEP: used by the engine but has no active or indicative row"


@pytest.mark.parametrize(
    ("manifest", "line", "reason"),
    [
        ('version = "2026 december"\nauthor = "A"\n', 1, "version must be 1–64 characters"),
        ('version = "v2"\ndate = "3 Dec"\nauthor = "A"\n', 2, "date must be written YYYY-MM-DD"),
        ('version = "v2"\n', 1, "author is required"),
        ('author = "A"\nversion = "default"\n', 2, "version 'default' is reserved"),
        ('version = "v2"\nauthor = "A"\nsigned = true\n', 3, "unknown key 'signed'"),
        ('version = "v2"\nauthor = "A\n', 2, "not valid TOML"),
    ],
)
def test_manifest_problems(manifest: str, line: int, reason: str) -> None:
    [problem] = problems_of(pack_files(manifest=manifest))
    assert (problem.file, problem.line) == (MANIFEST, line) and reason in problem.reason


def test_check_command_exits_2_with_file_line_and_reason(
    write_pack: PackWriter, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edit_row(PACKAGED[THRESHOLDS], "BXL_BC", "2025-01-01", amount="-1", sources="P02; P404")
    files = pack_files(thresholds=text)
    del files[SOURCES]
    folder = write_pack(files)
    assert main(["rules", "check", str(folder)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "sources.csv: missing from the pack",
        "guichet rules: refused (1 problem)",
    ]
    (folder / SOURCES).write_text(PACKAGED[SOURCES], encoding="utf-8")
    assert main(["rules", "check", str(folder)]) == 2
    line = next(
        n for n, row in enumerate(text.splitlines(), 1) if row.startswith("BXL_BC,") and ",-1," in row
    )
    assert capsys.readouterr().err.splitlines() == [
        f"thresholds.csv:{line}: BXL_BC: amount -1 must be positive",
        f"thresholds.csv:{line}: BXL_BC: source P404 not in sources.csv",
        "guichet rules: refused (2 problems)",
    ]


def test_check_command_refuses_a_path_that_is_no_pack(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_pack = tmp_path / "notes.txt"
    not_a_pack.write_text("hello", encoding="utf-8")
    assert main(["rules", "check", str(not_a_pack)]) == 2
    assert "is neither a pack folder nor a .zip" in capsys.readouterr().err


def test_a_spreadsheet_saved_file_with_a_byte_order_mark_is_read(write_pack: PackWriter) -> None:
    folder = write_pack(pack_files())
    (folder / THRESHOLDS).write_text("\ufeff" + PACKAGED[THRESHOLDS], encoding="utf-8")
    assert check_files(read_pack_files(folder))[1] == []


def test_a_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.splitlines()[0] == f"{tmp_path / 'nowhere'}: not found"
