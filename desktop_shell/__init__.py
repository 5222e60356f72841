"""The desktop launcher: serves the Streamlit app that app/app.toml describes, offline, in a native window."""
