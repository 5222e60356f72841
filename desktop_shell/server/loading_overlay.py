"""Keep the loading screen over Streamlit's page until the page has drawn something.

Without it the window is blank for ~1 s after the app's page loads (measured over CDP and
on screen, tests/launcher/test_first_paint.py): #root stays empty while the frontend's
modules load (~0.8-1 s after the request), and React's first render draws an empty app
shell, which stays blank until the WebSocket connects and the first script run sends the
pages' links or a first element (0.2-0.5 s more). With the server in a forked child the
window asks for the page before its own loading screen has painted, so that blank second
came straight after the splash.

So the page carries the loading screen itself (assets/loading.html's style and markup,
the one copy), laid over the whole page (a sibling of #root: React's first render would
replace it inside #root, and draws nothing yet), and a small script that removes it, and
its style, in the first frame where Streamlit shows something of the app (DRAWN). Once
removed it is gone for good: reruns and page switches happen in the same document (a
reload is a new document, and shows it again until drawn). Streamlit's own placeholder
(its grey skeleton, shown after 0.5 s of waiting) is not taken for the app: the loading
screen stays over it.

The script watches Streamlit's test ids and state attributes (its e2e tests use them);
tests/launcher/test_upstream_canaries.py fails when the frontend no longer has one. Should
they change anyway, the loading screen goes GUARD_SECONDS after the page loaded, so it
can never hide the app for good.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from desktop_shell.screens import LOADING_ID, loading_parts

# Any of these in the page: Streamlit has drawn something of the app.
DRAWN = (
    '[data-testid="stSidebarNav"]',  # the pages' links in the sidebar
    '[role="dialog"]',  # st.dialog, or Streamlit's "Connection error"
    '[data-test-script-state="notRunning"]',  # the first run has ended (drawing nothing?)
    '[data-test-connection-state="DISCONNECTED_FOREVER"]',  # it has given up connecting
)
# An element the script drew: its container, once it holds something other than SKELETON.
# (At the first render the main block holds one empty container: SKELETON, after 0.5 s.)
ELEMENT = '[data-testid="stElementContainer"]'
SKELETON = '[data-testid="stAppSkeleton"]'
GUARD_SECONDS = 10

_SCRIPT = """<script>(() => {
  const ids = %(ids)s, drawn = %(drawn)s, element = %(element)s, skeleton = %(skeleton)s;
  const shown = () => document.querySelector(drawn) !== null || Array.from(
    document.querySelectorAll(element)).some((e) => e.firstElementChild && !e.querySelector(skeleton));
  let frame = 0;
  const done = () => {
    observer.disconnect();
    clearTimeout(guard);
    ids.forEach((id) => document.getElementById(id)?.remove());
  };
  const check = () => { frame = 0; if (shown()) done(); };
  // Looked at once a frame, before it paints: the page's content and no loading screen.
  const observer = new MutationObserver(() => { frame ||= requestAnimationFrame(check); });
  observer.observe(document.documentElement, {childList: true, subtree: true, attributes: true,
    attributeFilter: ["role", "data-test-script-state", "data-test-connection-state"]});
  const guard = setTimeout(done, %(guard_ms)d);
})();</script>"""


@dataclass(frozen=True)
class Overlay:
    head: bytes  # the loading screen's style and the script that removes it
    body: bytes  # the loading screen


def overlay(app_name: str) -> Overlay:
    parts = loading_parts(app_name)
    script = _SCRIPT % {
        "ids": json.dumps([LOADING_ID, f"{LOADING_ID}-style"]),
        "drawn": json.dumps(", ".join(DRAWN)),
        "element": json.dumps(ELEMENT),
        "skeleton": json.dumps(SKELETON),
        "guard_ms": GUARD_SECONDS * 1000,
    }
    return Overlay(head=(parts.style + script).encode(), body=parts.markup.encode())
