"""How long the command line takes to start, against a bare Python.

Runs ``python -c pass``, ``nhacviec --help``, ``nhacviec when "Quý I/2024" --year 2024``
and ``nhacviec plan list`` (on a fresh SQLite database, its schema made first) as new
processes, best of five runs each, and prints each one's wall-clock time and CPU time
(user + system, of the child) and how much it takes over the bare Python. Target
(issue 14): ``nhacviec --help`` under 0.3 s over bare Python.

    .venv/bin/python bench/startup.py
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 5
BIN = Path(sys.executable).parent


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    runs = [run_once(command, env) for _ in range(RUNS)]
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def main() -> None:
    nhacviec = str(BIN / "nhacviec")
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        config.write_text(f'[database]\nurl = "sqlite:///{folder}/bench.db"\n', encoding="utf-8")
        env = dict(os.environ)
        subprocess.run(
            [nhacviec, "--config", str(config), "db", "upgrade"],
            env=env,
            stdout=subprocess.DEVNULL,
            check=True,
        )
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "nhacviec --help": [nhacviec, "--help"],
            'nhacviec when "Quý I/2024" --year 2024': [
                nhacviec,
                "--config",
                str(config),
                "when",
                "Quý I/2024",
                "--year",
                "2024",
            ],
            "nhacviec plan list": [nhacviec, "--config", str(config), "plan", "list"],
        }
        figures = {name: best(command, env) for name, command in commands.items()}
    bare_wall, bare_cpu = figures["python -c pass"]
    print(f"bench/startup.py, {time.strftime('%Y-%m-%d')}, best of {RUNS} runs")
    print(f"{'command':42} {'wall':>8} {'CPU':>8} {'over bare Python':>18}")
    for name, (wall, cpu) in figures.items():
        print(
            f"{name:42} {wall:7.3f}s {cpu:7.3f}s "
            f"{wall - bare_wall:7.3f}s wall {cpu - bare_cpu:6.3f}s CPU"
        )


if __name__ == "__main__":
    main()
