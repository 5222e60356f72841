"""What the tests and the benchmark ask the app's page (JavaScript expressions), written once.

Plain strings, for CDP (`cdp.Page.evaluate`) and Playwright alike: no import of X or Qt, so
the browser tests in tests/app/ use them too. (The app's own self-test has its copy in
desktop_shell/window/selftest.py: it ships inside the executable, these do not.)
"""

from __future__ import annotations

CHART = '[data-testid="stVegaLiteChart"]'
# The line of a line chart: Vega draws it as "M x,y" then one "L x,y" per point.
LINE_PATHS = f'{CHART} g[class*="mark-line"] path[d]'

HEADINGS = "Array.from(document.querySelectorAll('h1')).map((h) => h.innerText.trim())"
# A chart counts once Vega has drawn marks into it (a line or bar path with geometry);
# the <svg> itself exists, with its size, before anything is drawn.
CHARTS_DRAWN = (
    f"Array.from(document.querySelectorAll('{CHART}'))"
    ".filter((chart) => Array.from(chart.querySelectorAll('g[class*=\"mark-\"] path[d]'))"
    ".some((mark) => mark.getAttribute('d').length > 20)).length"
)
CHARTS = f"document.querySelectorAll('{CHART}').length"
# The launcher's own error screen (desktop_shell/assets/error.html): its text, once shown.
ERROR_SCREEN = "document.querySelector('#startup-error')?.innerText"
ERRORS = "document.querySelectorAll('[data-testid=\"stException\"]').length"
# "Stale" elements are the previous run's (or page's) left on screen while a run is in
# progress: counting them as rendered would pass on a page still drawing.
STALE = "document.querySelectorAll('[data-stale=\"true\"]').length"
# Points in each line: one "L" per point after the first.
POINTS = (
    f"Array.from(document.querySelectorAll('{LINE_PATHS}'))"
    ".map((p) => p.getAttribute('d').split('L').length)"
)
