"""The week's water level: a module beside the pages, imported as under `streamlit run`."""

import numpy as np
import pandas as pd


def week() -> pd.DataFrame:
    hours = np.arange(0, 7 * 24, 0.5)
    # A semidiurnal tide: two highs a day, 12.42 h apart.
    level = 2.5 + 1.8 * np.sin(2 * np.pi * hours / 12.42)
    return pd.DataFrame({"level (m)": level}, index=pd.Index(hours, name="hour"))
