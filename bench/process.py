"""Start a benchmark bot (``bench.serve_bot``) as a process of its own and read its CPU and memory."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tests.telegram.bot_harness import process_env
from tests.telegram.emulator import BotApiEmulator

ROOT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class BotProcess:
    """A running bot process: its pid, CPU seconds so far and peak resident memory."""

    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process (all its threads) so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def peak_rss_mib(self) -> float:
        """The process's peak resident set size (VmHWM) in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
        return float("nan")


@contextlib.asynccontextmanager
async def bot_process(
    emu: BotApiEmulator,
    data_dir: Path,
    kind: Literal["guichet", "echo", "echo-guichet-reply", "echo-aiohttp"],
    mode: Literal["polling", "webhook"],
    *,
    unlimited: bool = True,
    profile: Path | None = None,
) -> AsyncIterator[BotProcess]:
    """Start the bot against ``emu``, wait until it receives updates, stop it with SIGTERM after."""
    env = process_env(emu, data_dir, mode)
    command = [sys.executable, "-m", "bench.serve_bot", kind]
    if unlimited:
        command.append("--unlimited")
    if profile is not None:
        command += ["--profile", str(profile)]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    try:
        await emu.wait_until_ready(mode=mode, timeout=30)
        yield BotProcess(process)
    finally:
        process.send_signal(signal.SIGTERM)
        for _ in range(300):
            if process.poll() is not None:
                break
            await asyncio.sleep(0.05)
        else:
            process.kill()
            process.wait()
