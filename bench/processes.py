"""Memory and CPU of a process tree, from /proc: PSS, CPU time, what each process is."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.reaper import REAPER
from tests.support import procs

CLK_TCK = os.sysconf("SC_CLK_TCK")


def tree_of(roots: list[int]) -> dict[int, str]:
    tree: dict[int, str] = {}
    for root in roots:
        tree.update(REAPER.track(root))
    return tree


def pss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
        if match:
            total += int(match.group(1))
    return total / 1024


def cpu_ticks(pids: list[int]) -> dict[int, int]:
    ticks = {}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        ticks[pid] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
    except OSError:
        return ""


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def kind(pid: int) -> str:
    """What a process of the tree is: Chromium's --type, else the program.

    QtWebEngine forks its renderers from its zygote without changing their command
    line: a "zygote" whose parent has the same command line is a renderer.
    """
    joined = _cmdline(pid)  # Chromium rewrites its argv into one string: split on spaces
    parts = joined.split(" ")
    if not joined:
        return "?"
    match = re.search(r"--type=(\S+)", joined)
    if match:
        info = procs._stat(pid)  # noqa: SLF001
        if match.group(1) == "zygote" and info and _cmdline(info[0]) == joined:
            return "renderer (zygote child)"
        return match.group(1)
    if "streamlit_desktop_app" in joined:
        # Its server is a multiprocessing child: forked, with its parent's command line.
        info = procs._stat(pid)  # noqa: SLF001
        if info and _cmdline(info[0]) == joined:
            return "streamlit (python, multiprocessing child)"
        return "app (python: pywebview + Qt/WebEngine browser and GPU threads)"
    if "streamlit" in joined:
        return "streamlit (python)"
    if "launcher.py" in joined or "fragment-demos" in joined or "floor_window" in joined:
        if _comm(pid) == "app-server":  # server/server_process.py's forked child
            return "server (python, forked child)"
        return "app (python: server + Qt/WebEngine browser and GPU threads)"
    return Path(parts[0]).name or "?"


def by_kind(values: dict[int, float]) -> dict[str, float]:
    grouped: dict[str, float] = {}
    for pid, value in values.items():
        grouped[kind(pid)] = grouped.get(kind(pid), 0.0) + value
    return grouped


def _mapped_files(pid: int) -> set[tuple[str, str]]:
    """(device, inode) of the files `pid` maps from a site-packages folder."""
    try:
        lines = Path(f"/proc/{pid}/maps").read_text().splitlines()
    except OSError:
        return set()
    found = set()
    for line in lines:
        fields = line.split(maxsplit=5)
        if len(fields) == 6 and "/site-packages/" in fields[5]:
            found.add((fields[3], fields[4]))
    return found


def outside_sharers(pids: list[int], ours: set[int]) -> list[str]:
    """Processes not in `ours` that map a site-packages file the processes `pids` map.

    uv hardlinks one copy of each installed file into every venv made from its cache (every
    worktree's here), so another checkout's app or server shares those pages with the one
    measured, and PSS splits them: readings taken then are lower than on a quiet machine.
    """
    files = set().union(*(_mapped_files(pid) for pid in pids)) if pids else set()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in ours and int(entry.name) != os.getpid():
            if files & _mapped_files(int(entry.name)):
                found.append(f"{entry.name}: {_cmdline(int(entry.name))[:80]}")
    return found


def pss_each(pids: list[int]) -> dict[int, float]:
    return {pid: pss_mib([pid]) for pid in pids}


def cpu_percent(before: dict[int, int], after: dict[int, int], seconds: float) -> float:
    """% of one core used by the tree between two samples (new processes count whole)."""
    used = sum(t - before.get(pid, 0) for pid, t in after.items())
    return 100.0 * used / CLK_TCK / seconds


def measure_cpu(
    tree: Callable[[], dict[int, str]], seconds: float, xvfb_pid: int | None,
    pss_every: float = 5.0,
) -> dict[str, Any]:
    """CPU (% of one core) and PSS of the tree (and of our Xvfb) over `seconds`; PSS
    sampled every `pss_every` seconds, as (seconds since the start, MiB), and by process
    kind (seconds since the start, {kind: MiB})."""
    pids = list(tree())
    before, t_before = cpu_ticks(pids), time.monotonic()
    x_before = cpu_ticks([xvfb_pid]) if xvfb_pid else {}
    each = pss_each(pids)
    samples = [(0.0, sum(each.values()))]
    kind_samples = [(0.0, by_kind(each))]
    end = t_before + seconds
    while time.monotonic() < end:
        time.sleep(min(pss_every, max(0.0, end - time.monotonic())))
        each = pss_each(list(tree()))
        samples.append((time.monotonic() - t_before, sum(each.values())))
        kind_samples.append((samples[-1][0], by_kind(each)))
    pids = list(tree())
    after, elapsed = cpu_ticks(pids), time.monotonic() - t_before
    result: dict[str, Any] = {"cpu": cpu_percent(before, after, elapsed),
                              "pss_max": max(mib for _, mib in samples),
                              "pss_samples": samples, "pss_kind_samples": kind_samples,
                              "pss_end": pss_mib(pids)}
    result["by_kind"] = by_kind({pid: 100.0 * (t - before.get(pid, 0)) / CLK_TCK / elapsed
                                 for pid, t in after.items()})
    result["pss_by_kind"] = by_kind(pss_each(pids))
    if xvfb_pid:
        result["xvfb_cpu"] = cpu_percent(x_before, cpu_ticks([xvfb_pid]), elapsed)
    return result
