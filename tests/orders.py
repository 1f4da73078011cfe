"""Build canonical order tables by hand for metric tests, and store them for the DuckDB engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from hotline import schema


def frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Canonical DataFrame from partial rows (missing columns empty, times parsed)."""
    df = pd.DataFrame(rows)
    for column in schema.COLUMNS:
        if column.kind == "timestamp" and column.name in df:
            df[column.name] = pd.to_datetime(df[column.name]).astype("datetime64[us]")
    return schema.conform(df)


def to_parquet(df: pd.DataFrame, path: Path) -> Path:
    """Write a canonical frame as a Parquet file the DuckDB engine reads."""
    table = pa.Table.from_pandas(schema.conform(df), preserve_index=False)
    pq.write_table(table.cast(schema.arrow_schema()), path)
    return path
