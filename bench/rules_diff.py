"""Benchmark: `guichet rules diff` on a store of 10 000 finished sessions (a figure, not a test).

``.venv/bin/python -m bench.rules_diff [--sessions N]`` fills a store with varied finished interviews
(employees in the four regions, with and without family, students, EU citizens), then times the
whole command — read the sessions, assess each twice (pack in force, new pack), print — for a
pack that raises the Brussels Blue Card amount and confirms the Flemish 2025 amounts. Target:
under 60 s for 10 000 sessions.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.cli import main as guichet
from bot.rules.pack import MANIFEST, THRESHOLDS, Manifest, default_pack, write_pack_files
from bot.store import SessionStore

TARGET_S = 60.0
NOW = "2026-12-01T09:00:00.000000Z"
POSTCODES = ("1000", "1050", "9000", "2000", "3000", "4000", "5000", "6000", "4700")
NATIONALITIES = (["IN"], ["US"], ["BR"], ["MA"], ["CN"], ["TR"], ["FR"], ["IN", "GB"])


def answers_for(rng: random.Random) -> dict[str, Any]:
    """One plausible finished interview."""
    month = rng.randrange(2400, 9500, 50)
    answers: dict[str, Any] = {
        "lang": rng.choice(("fr", "nl", "en")),
        "nationalities": rng.choice(NATIONALITIES),
        "current_location": rng.choice(("abroad", "belgium")),
        "dob": f"{rng.randint(1965, 2004)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
    }
    if rng.random() < 0.12:
        return answers | {
            "purposes": ["study"],
            "study_admitted": "yes",
            "means_month": rng.randrange(700, 1300),
        }
    answers |= {
        "purposes": ["employee"],
        "work_postcode": rng.choice(POSTCODES),
        "employer_type": "belgian_employer",
        "qualification": rng.choice(("higher_ed_3y_plus", "higher_ed_3y_plus", "secondary", "phd")),
        "salary_month_base": month,
        "salary_year": round(month * 13.92),
        "contract_months": rng.choice((0, 12, 24, 6)),
        "job_is_highly_qualified": rng.choice(("yes", "yes", "no", "unsure")),
        "special": ["none"],
    }
    if rng.random() < 0.4:
        answers["purposes"] = ["employee", "bring_family"]
        answers |= {
            "sponsor_type": "tcn_limited",
            "sponsor_net_income": rng.randrange(1800, 5000, 25),
            "income_source": "employment",
            "housing_ok": "yes",
            "insurance_ok": "yes",
            "red_flags": "no",
            "family_application_date": "2026-12-15",
            "members": [
                {"relation": "spouse", "dob": "1991-06-15", "nationality": "IN", "location": "abroad"},
                *(
                    [{"relation": "child_minor", "dob": "2018-04-03", "nationality": "IN"}]
                    * rng.randint(0, 2)
                ),
            ],
        }
    return answers


def fill(db: Path, sessions: int, seed: int = 14) -> None:
    """``sessions`` finished sessions with an assessment row each, by direct SQL (fast)."""
    SessionStore(db).close()  # the schema
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    with con:
        for number in range(sessions):
            state = {"format": 1, "lang": "en", "current": "result", "answers": answers_for(rng)}
            session_id = con.execute(
                "INSERT INTO sessions (channel, user_key, status, lang, state_json, created_at, updated_at, "
                "completed_at) VALUES ('telegram', ?, 'completed', 'en', ?, ?, ?, ?)",
                (str(500_000_000 + number), json.dumps(state), NOW, NOW, NOW),
            ).lastrowid
            con.execute(
                "INSERT INTO assessments (session_id, created_at, rules_version, reference_date, route_code, "
                "family_outcome, review_codes, assessment_json) VALUES (?, ?, 'bench', '2026-12-01', 'HQ', "
                "'FAM_NONE', '[]', '{}')",
                (session_id, NOW),
            )
    con.close()


def new_pack(folder: Path) -> Path:
    """The packaged tables with the Brussels Blue Card at 5 500 € and the Flemish 2025 amounts confirmed."""
    lines = default_pack().files[THRESHOLDS].splitlines()
    edited = []
    for line in lines:
        if line.startswith("BXL_BC,") and ",4748.00," in line:
            line = line.replace(",4748.00,", ",5500.00,", 1)
        if line.startswith("FL_") and ",2026-01-01,P" in line:
            line = line.replace(",2026-01-01,P", ",,P", 1)
        edited.append(line)
    files = dict(default_pack().files)
    files[THRESHOLDS] = "\n".join(edited) + "\n"
    files[MANIFEST] = Manifest(
        "bench-2026.12", None, "bench", "Blue Card raised, Flanders confirmed"
    ).to_toml()
    return write_pack_files(files, folder)


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def run(sessions: int = 10_000) -> dict[str, Any]:
    """Fill a store, time `guichet rules diff` on it; the figures."""
    with workdir() as tmp:
        db = tmp / "guichet.db"
        started = time.perf_counter()
        fill(db, sessions)
        filled = time.perf_counter() - started
        pack = new_pack(tmp / "pack")
        out = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(out):
            status = guichet(["rules", "diff", str(pack), "--db", str(db), "--on", "2026-12-03"])
        seconds = time.perf_counter() - started
    summary = out.getvalue().splitlines()[1] if status == 0 else f"exit {status}"
    return {
        "sessions": sessions,
        "fill_seconds": round(filled, 1),
        "diff_seconds": round(seconds, 1),
        "ms_per_session": round(seconds * 1000 / sessions, 2),
        "summary": summary,
        "under_target": seconds < TARGET_S,
    }


def describe(figures: dict[str, Any]) -> str:
    """One line for the bench table."""
    return (
        f"rules diff on {figures['sessions']} sessions: {figures['diff_seconds']} s "
        f"({figures['ms_per_session']} ms/session; target < {TARGET_S:.0f} s) — {figures['summary']}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=10_000)
    print(describe(run(parser.parse_args().sessions)))
