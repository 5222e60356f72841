"""The floors table of bench/ (bench/floor_report.py), on made-up runs: what it adds up."""

from __future__ import annotations

import pytest

from bench import floor_report, report
from bench.launching import Run

OPEN, PLATEAU = floor_report.OPEN, floor_report.PLATEAU


def floor_run(variant: str, chart: float, pss: float = 400.0, renderer: float = 100.0) -> Run:
    run = Run(variant, t={"chart": chart}, values={
        "pss": pss, "page_to_chart": chart - 0.5, "server_pss": 180.0,
        "shared_interpreter_pss": 15.0})
    run.breakdown[OPEN] = {"app (python: server + Qt/WebEngine browser and GPU threads)":
                           pss - renderer, "renderer (zygote child)": renderer}
    return run


def streamed(variant: str, kind: str, chart: float, pss: float, renderer: float) -> Run:
    run = Run(variant, t={"chart": chart}, values={"pss": pss, "stream_plateau_1s": pss + 200})
    run.breakdown[PLATEAU] = {kind: renderer, "other": pss + 200 - renderer}
    return run


def results() -> floor_report.Results:
    return {
        "launcher.py": [streamed("launcher.py", "renderer (zygote child)", 2.0, 600, 390)],
        "baseline": [streamed("baseline", "renderer", 2.5, 640, 360)],
        "baseline warm": [Run("baseline warm", t={"chart": 2.0})],
        "floor-page": [floor_run("floor-page", 1.9), floor_run("floor-page", 1.7, 420, 110),
                       floor_run("floor-page", 2.1, 410, 90)],
        "floor-page warm": [floor_run("floor-page warm", 1.2)],
    }


def test_each_floor_is_the_sum_of_its_components_less_what_is_counted_twice() -> None:
    found = {f.figure: f for f in floor_report.floors(results(), report.targets(results()))}
    cold = found["chart drawn, cold"]
    assert cold.value == 1.9 and cold.target.text == "≤ 0.8× best peer"
    assert cold.target.value == pytest.approx(2.0) and cold.target.ratio(1.9) == pytest.approx(0.76)
    assert found["chart drawn, warm: kept profile"].value == 1.2
    assert found["chart drawn, warm: kept profile"].target.value == pytest.approx(1.4)
    # Medians: window 410, its renderer 100, server 180, counted twice 15.
    assert found["PSS, page open"].value == 410 + 180 - 15
    assert found["PSS, page open"].target.value == pytest.approx(0.9 * 640)
    # The window less its renderer, plus the smaller renderer plateau (Chromium's 360).
    plateau = found["PSS plateau streaming at 1 s"]
    assert plateau.value == 410 - 100 + 360 + 180 - 15
    assert "Chromium's 360" in plateau.profile
    assert plateau.target.value == pytest.approx(0.8 * 840)


def test_the_table_says_which_floor_is_above_its_target() -> None:
    lines = floor_report.table(results(), report.targets(results()))
    rows = {line.split(" | ")[0].lstrip("| "): line for line in lines[2:]}
    assert "| 0.76× | no: 0.10 s of headroom |" in rows["chart drawn, cold"]
    assert "| no: 1 MiB of headroom |" in rows["PSS, page open"]
    assert "| **yes**, by 163 MiB:" in rows["PSS plateau streaming at 1 s"]


def test_without_the_streaming_run_the_plateau_floor_is_not_measured() -> None:
    partial = {k: v for k, v in results().items() if k.startswith("floor-page")}
    found = {f.figure: f for f in floor_report.floors(partial, report.targets(partial))}
    assert found["PSS plateau streaming at 1 s"].value is None
    assert found["chart drawn, cold"].target is None
    assert found["PSS, page open"].value == 575
