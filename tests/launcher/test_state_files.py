"""No remembered file can keep the app from opening: hostile content is "nothing remembered".

Property-based (hypothesis): random bytes, and JSON of every shape with hostile values
(1e400, NaN, huge integers, booleans, deep nesting), thrown at each loader of a file the
app reads back: the window geometry, the port file, the single-instance channel file,
and the web profile folder. Each loader gives its "nothing" (None, 0, ValueError that
the caller treats as no channel) and logs one warning; none raises anything else.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_shell.process import paths, single_instance
from desktop_shell.server.server import AppServer, parse_port
from desktop_shell.settings import Settings
from desktop_shell.window import geometry
from tests.support.launch import ROOT, Launches, demo_app
from tests.support.window import open_app, screenshot, wait_rendered

EXAMPLES = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = (
    st.none() | st.booleans() | st.integers() | st.floats()
    | st.integers(min_value=-(10**30), max_value=10**30) | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
HOSTILE_TEXTS = [
    '{"x": 1e400, "y": 0, "width": 800, "height": 600}',  # OverflowError in int() on main
    '{"x": NaN, "y": 0, "width": 800, "height": 600}',
    '{"x": -Infinity, "y": 0, "width": 800, "height": 600}',
    '{"x": ' + "9" * 5000 + ', "y": 0, "width": 800, "height": 600}',  # past int's digit limit
    "[" * 100_000 + "]" * 100_000,  # deeper than the parser goes
    '{"port": 1e400, "pid": 1, "token": "t"}', '{"port": 70000, "pid": 1, "token": "t"}',
    '{"port": 1, "pid": 1e400, "token": "t"}', '{"port": 1, "pid": 1, "token": "\u20ac"}',
    "\ufeff{}", "1e400", "-1", "65536", "٣٠٠٠", " 8501 \n", "8501\x00", "",
]
contents = (
    st.binary(max_size=200)
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.fixed_dictionaries(
        {key: json_values for key in ("x", "y", "width", "height")},
        optional={key: json_values for key in ("frame_width", "frame_height", "maximized")},
    ).map(lambda value: json.dumps(value).encode())
    | st.fixed_dictionaries(
        {"port": json_values, "pid": json_values, "token": json_values}
    ).map(lambda value: json.dumps(value).encode())
    | st.sampled_from(HOSTILE_TEXTS).map(lambda text: text.encode("utf-8"))
    | st.sampled_from(HOSTILE_TEXTS).map(lambda text: text.encode("utf-16"))
)


def warnings_in(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


@pytest.fixture
def server(tmp_path: Path) -> AppServer:
    return AppServer(Settings(
        app_script=ROOT / "app" / "streamlit_app.py", manifest=demo_app(),
        log_file=tmp_path / "log", port_file=tmp_path / "port",
    ))


@EXAMPLES
@given(data=contents)
def test_any_window_json_is_a_geometry_or_nothing(
    data: bytes, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "window.json"
    path.write_bytes(data)
    caplog.clear()
    loaded = geometry.load(path)
    if loaded is None:
        assert len(warnings_in(caplog)) == 1
    else:  # what it gives is a window that fits on a screen: fit() must cope with it
        assert min(loaded.client_size) > 0
        screen = geometry.Rect(0, 0, 1400, 900)
        fitted = geometry.fit(loaded, [screen], (720, 520))
        assert fitted.rect.width <= 1400 and fitted.rect.height <= 900


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_each_hostile_window_json_is_nothing_with_one_warning(
    text: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "window.json"
    path.write_text(text)
    assert geometry.load(path) is None
    assert len(warnings_in(caplog)) == 1


def test_a_saved_geometry_still_reads_back(tmp_path: Path) -> None:
    saved = geometry.Geometry(geometry.Rect(-1200, 30, 900, 700), (2, 25), True)
    geometry.save(tmp_path / "window.json", saved)
    assert geometry.load(tmp_path / "window.json") == saved


@EXAMPLES
@given(data=contents)
def test_any_port_file_is_a_usable_port_or_none(
    data: bytes, server: AppServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "port").write_bytes(data)
    caplog.clear()
    port = server._remembered_port()
    assert port == 0 or 1024 <= port <= 65535
    assert len(warnings_in(caplog)) == (1 if port == 0 else 0)


def test_a_damaged_port_file_is_replaced_by_a_good_one(server: AppServer, tmp_path: Path) -> None:
    (tmp_path / "port").write_bytes(b"1e400")
    server.bind()
    try:
        assert (tmp_path / "port").read_text() == str(server.port)
    finally:
        server.stop()


@EXAMPLES
@given(data=contents)
def test_any_instance_json_is_a_channel_or_a_value_error(data: bytes) -> None:
    try:
        channel = single_instance.Channel.parse(data)
    except ValueError:
        return
    assert 1 <= channel.port <= 65535 and channel.pid > 0 and channel.token.isascii()


@pytest.mark.parametrize(
    "text", ['{"port": 1e400, "pid": 1, "token": "t"}', '{"port": 70000, "pid": 1, "token": "t"}',
             "[" * 100_000, "\xff\xfe garbage"]
)
def test_a_damaged_instance_json_beside_a_held_lock_is_reported_not_raised(
    text: str, tmp_path: Path
) -> None:
    # The lock is held (a running instance), but its channel file is damaged: the new
    # launch says so and opens a window of its own (cli.main), it does not crash.
    holder = single_instance._try_lock(tmp_path / single_instance.LOCK_NAME)
    assert holder is not None
    try:
        (tmp_path / single_instance.INFO_NAME).write_text(text)
        with pytest.raises(single_instance.Unavailable, match="did not answer"):
            single_instance.claim(tmp_path, single_instance.Request(), wait=0.3)
    finally:
        holder.close()


def test_a_file_where_the_web_profile_folder_should_be_is_nothing_remembered(
    tmp_path: Path,
) -> None:
    dirs = paths.UserDirs(tmp_path / "config", tmp_path / "cache", tmp_path / "state",
                          tmp_path / "log", None)
    dirs.cache.mkdir()
    dirs.web_profile_dir.write_bytes(b"\x00not a folder")
    files = paths.run_files(dirs, "fragment-demos", keep_window=True, keep_web=True)
    assert (files.geometry_file, files.web_profile_dir, files.port_file) == (None, None, None)
    assert str(dirs.web_profile_dir) in files.problem
    assert files.log_folder == dirs.log  # the log folder itself is fine


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_the_window_opens_over_damaged_state_files(home: Path, launched: Launches) -> None:
    """A real start with window.json, the port file and the web profile all damaged."""
    (home / "config" / "fragment-demos").mkdir(parents=True)
    (home / "config" / "fragment-demos" / "window.json").write_text(HOSTILE_TEXTS[0])
    (home / "state" / "fragment-demos").mkdir(parents=True)
    (home / "state" / "fragment-demos" / "port").write_bytes(b"\xff1e400")
    web = home / "cache" / "fragment-demos" / "web"
    for name in ("Cookies", "Network Persistent State", "Visited Links",
                 "Local Storage/leveldb/CURRENT", "Session Storage/CURRENT", "Cache/index",
                 "Code Cache/js/index"):
        (web / name).parent.mkdir(parents=True, exist_ok=True)
        (web / name).write_bytes(bytes(range(256)) * 4)
    with open_app([], home, launched) as (app, window, page):
        wait_rendered(page, "Data feed")
        screenshot("window-over-damaged-state-files")
    log = app.log_file.read_text()
    assert "ignoring the saved window geometry" in log and "x is inf" in log
    assert "ignoring the remembered port" in log
    assert "Traceback" not in app.output()[1]
    # Both are written afresh at the close, now good.
    assert geometry.load(home / "config" / "fragment-demos" / "window.json") is not None
    assert 1024 <= parse_port((home / "state" / "fragment-demos" / "port").read_bytes())
