import streamlit as st

st.title("Harbour")
st.write("High and low water for the week, and who is on watch.")
st.metric("Next high water", "14:32", "+0.4 m")
