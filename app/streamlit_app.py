"""Entry script: the pages app.toml lists, as one multipage app.

Run with ``streamlit run app/streamlit_app.py`` (from any directory); the launcher runs
it too. It is the same for every app: to make your own, edit app.toml and the pages.
"""

import sys
from pathlib import Path

import streamlit as st

# Page files are resolved next to this script, not against the working
# directory, so the app starts from any cwd and inside a PyInstaller bundle.
HERE = Path(__file__).resolve().parent

try:
    from desktop_shell import manifest
except ModuleNotFoundError:  # `streamlit run` from a checkout: the launcher is beside app/
    sys.path.insert(0, str(HERE.parent))
    from desktop_shell import manifest

try:
    # This folder, or the one the launcher serves ($DESKTOP_SHELL_APP).
    app = manifest.load(manifest.app_folder(HERE))
except manifest.ManifestError as exc:
    st.error(str(exc))
    st.stop()

# Pages import the modules beside them (feed_data, sales_data).
if str(app.folder) not in sys.path:
    sys.path.insert(0, str(app.folder))

# The app's own icon as the favicon, the same picture as the window's. (Without a
# page_icon, the favicon would be the current page's Material icon, which
# Streamlit's frontend loads from Google's font server: a request to the internet.)
st.set_page_config(page_icon=app.app.icon)

page = st.navigation(
    [
        st.Page(
            p.script,
            title=p.title,
            icon=p.icon,  # Material Symbols ship with Streamlit: works offline
            url_path=p.url_path,
            default=p.default,  # the default page is served at "/"
        )
        for p in app.pages
    ]
)
page.run()
