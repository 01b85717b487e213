"""The course data as pandas DataFrames, for chapters, charts and exercises.

>>> figures_frame().columns[:4].tolist()
['id', 'quantity', 'label', 'value']
"""

from __future__ import annotations

import pandas as pd

from .data import loaded
from .models import Figure


def _frame(records: list, model: type) -> pd.DataFrame:
    columns = list(model.model_fields)
    return pd.DataFrame([r.model_dump() for r in records], columns=columns)


def figures_frame() -> pd.DataFrame:
    """Every figure the texts give: one row each, with its text (`source`) and scholars (`cites`)."""
    df = _frame(loaded().figures, Figure)
    sources = loaded().sources
    df["text"] = df["source"].map(lambda s: sources[s].short)
    return df
