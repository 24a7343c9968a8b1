"""Suite-wide: after the run, how many updates the Bot API emulators carried and faults they injected,
per test folder (every test that lost or doubled an answer has failed on its own assertions)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.telegram.emulator import TALLY, TALLY_AREA


@pytest.fixture(autouse=True)
def _tally_area(request: pytest.FixtureRequest) -> Iterator[None]:
    """Attribute the emulator's counts to the running test's folder (robustness, telegram…)."""
    TALLY_AREA[0] = Path(str(request.node.path)).parent.name
    yield
    TALLY_AREA[0] = "other"


BROWSER_SKIP = "Chromium not found"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The robustness figures: updates sent through the running bot and faults injected; and a
    plain warning when the browser tests were skipped for want of Chromium."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if isinstance(report.longrepr, tuple) and BROWSER_SKIP in str(report.longrepr[2])
    ]
    if skipped:
        terminalreporter.write_line(
            f"WARNING: {len(skipped)} browser tests of the review console were SKIPPED: {BROWSER_SKIP} "
            "(install it with: bash tests/operators/ensure_chromium.sh)",
            yellow=True,
            bold=True,
        )
    for area in sorted({area for area, _ in TALLY}):
        kinds = ("updates injected", "faults injected")
        figures = ", ".join(f"{TALLY[area, what]:,} {what}" for what in kinds)
        terminalreporter.write_line(f"Bot API emulator, tests/{area}: {figures}")
