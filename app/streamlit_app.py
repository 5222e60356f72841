"""Entry script: the two fragment tutorials as one multipage app.

Run with ``streamlit run app/streamlit_app.py`` (from any directory).
"""

from pathlib import Path

import streamlit as st

# Page files are resolved next to this script, not against the working
# directory, so the app starts from any cwd and inside a PyInstaller bundle.
HERE = Path(__file__).parent

# The app's own icon as the favicon, the same picture as the window's. (Without a
# page_icon, the favicon would be the current page's Material icon, which
# Streamlit's frontend loads from Google's font server: a request to the internet.)
st.set_page_config(page_icon=HERE / "icon.png")

page = st.navigation(
    [
        st.Page(
            HERE / "data_feed.py",
            title="Data feed",
            icon=":material/monitoring:",  # Material Symbols ship with Streamlit: works offline
            url_path="data-feed",
            default=True,  # the default page is served at "/"
        ),
        st.Page(
            HERE / "sales.py",
            title="Daily vs monthly sales",
            icon=":material/bar_chart:",
            url_path="sales",
        ),
    ]
)
page.run()
