"""The server: Streamlit served in a thread, behind the secret gate."""
