import streamlit as st
from tide_model import week

st.title("Tides this week")
st.line_chart(week())
