"""Page 1, "Start and stop a streaming fragment".

Two random series in a line chart. The chart is static until the user starts
streaming; then a fragment reruns every ``run_every`` seconds on its own,
without rerunning the rest of the page.
"""

from datetime import timedelta

import streamlit as st
from feed_data import WINDOW_ROWS, append_recent, clock, get_recent_data

# The sales page switches to the wide layout, and Streamlit keeps a layout
# until a page sets another one: ask for the default back explicitly.
st.set_page_config(layout="centered")

if "data" not in st.session_state:
    # First load of the session: the last 60 s of data (120 samples). The feed's clock
    # is the wall clock that does not step back or forward (feed_data.py).
    now = clock()
    st.session_state.data = get_recent_data(now - timedelta(seconds=60), now=now)

if "stream" not in st.session_state:
    st.session_state.stream = False


def toggle_streaming() -> None:
    st.session_state.stream = not st.session_state.stream


st.title("Data feed")
st.sidebar.slider(
    "Check for updates every: (seconds)",
    0.5,
    5.0,
    value=1.0,
    key="run_every",
    # Keep the chosen interval when the user visits the other page and comes
    # back (by default Streamlit forgets a widget's value once it is not shown).
    persist_state="session",
)
st.sidebar.button(
    "Start streaming", disabled=st.session_state.stream, on_click=toggle_streaming
)
st.sidebar.button(
    "Stop streaming", disabled=not st.session_state.stream, on_click=toggle_streaming
)

if st.session_state.stream is True:
    run_every: float | None = st.session_state.run_every
else:
    run_every = None


@st.fragment(run_every=run_every)
def show_latest_data() -> None:
    # Only fetch while streaming: otherwise every full rerun (moving the
    # slider, say) would append data and the "static" chart would move, and
    # the first load would be cut from 60 s to the 100-row streaming window.
    if st.session_state.stream:
        last_timestamp = st.session_state.data.index[-1]
        st.session_state.data = append_recent(
            st.session_state.data, get_recent_data(last_timestamp), WINDOW_ROWS
        )
    st.line_chart(st.session_state.data)


show_latest_data()
