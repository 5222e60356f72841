"""Fragment Demos: two Streamlit fragment tutorials as an offline desktop app."""
