"""Streamlit's built-in charts without Altair re-checking the spec Streamlit wrote.

`st.line_chart` (and area, bar and scatter charts) builds an Altair chart from the data
on every run, and Altair checks every part against the Vega-Lite JSON schema as it is
built and serialized (`SchemaBase.validate`, jsonschema): 17 of 40 ms per chart here,
for a spec Streamlit generates itself. The "Data feed" page redraws its chart every
second, so that is ~1.7 % of a core while it streams (bench/). The spec is the same,
byte for byte, with or without the check (tests/launcher/test_built_in_charts.py).

Only charts that Streamlit's `generate_chart` made skip it, in the thread that made
them: a chart people build themselves for `st.altair_chart` is checked as before, and
its errors still name the wrong field. Altair's checks are slow by design (jsonschema
over the whole schema; vega/altair#3547 is the open work on making them lazy, and
vega/altair#2850 the measurements); Streamlit has no option to skip them.

Three names are Streamlit's and Altair's own, looked up when a chart is made; the
canary test fails, naming the change, if an upgrade stops using them.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any

_local = threading.local()
_wrapping = threading.Lock()


def install() -> None:
    """Skip Altair's schema checks for Streamlit's built-in charts (once per process).

    Altair itself is wrapped when the first chart is made, which imports it anyway:
    importing it here would put ~0.15 s before the server's first answer.
    """
    from streamlit.elements import vega_charts

    with _wrapping:
        if getattr(vega_charts.generate_chart, "_desktop_shell", False):
            return
        vega_charts.generate_chart = _built_in(vega_charts.generate_chart)
        vega_charts._convert_altair_to_vega_lite_spec = _serialized(
            vega_charts._convert_altair_to_vega_lite_spec)


def _wrap_altairs_check() -> None:
    from altair.utils.schemapi import SchemaBase

    with _wrapping:
        check = SchemaBase.__dict__["validate"].__func__
        if not getattr(check, "_desktop_shell", False):
            SchemaBase.validate = classmethod(_unless_trusted(check))  # type: ignore[method-assign,assignment]


@contextlib.contextmanager
def _trusted() -> Iterator[None]:
    outer = getattr(_local, "trusted", False)
    _local.trusted = True
    try:
        yield
    finally:
        _local.trusted = outer


def _unless_trusted(check: Callable[..., None]) -> Callable[..., None]:
    """SchemaBase.validate, a no-op while this thread builds or serializes a built-in chart."""

    @functools.wraps(check)
    def validate(cls: type, instance: Any, schema: Any = None) -> None:
        if not getattr(_local, "trusted", False):
            check(cls, instance, schema)

    validate._desktop_shell = True  # type: ignore[attr-defined]
    return validate


def _built_in(generate: Callable[..., Any]) -> Callable[..., Any]:
    """generate_chart, trusted; it remembers the chart for `_serialized` (same thread)."""

    @functools.wraps(generate)
    def generate_chart(*args: Any, **kwargs: Any) -> Any:
        _wrap_altairs_check()
        with _trusted():
            chart = generate(*args, **kwargs)
        _local.built_in = chart
        return chart

    generate_chart._desktop_shell = True  # type: ignore[attr-defined]
    return generate_chart


def _serialized(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """_convert_altair_to_vega_lite_spec, trusted for the chart generate_chart just made."""

    @functools.wraps(convert)
    def convert_altair_to_vega_lite_spec(altair_chart: Any) -> Any:
        if getattr(_local, "built_in", None) is not altair_chart:
            return convert(altair_chart)
        _local.built_in = None
        with _trusted():
            return convert(altair_chart)

    return convert_altair_to_vega_lite_spec
