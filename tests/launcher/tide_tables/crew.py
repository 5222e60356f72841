import streamlit as st

st.title("Crew on watch")
st.table({"watch": ["morning", "afternoon", "night"], "name": ["Ada", "Grace", "Linus"]})
