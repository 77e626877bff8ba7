"""Every format loads from its root with every reader, with no extra arguments, run_date as a date and the JSON
columns typed as JSON."""

import datetime

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest
from datasets import Json, Value, load_dataset

FORMATS = ("trajectories", "sft", "verl")
DAYS = {datetime.date(2026, 11, 25), datetime.date(2026, 11, 26)}


def manifest_rows(export, fmt):
    return sum(m["total_rows"] for m in export.manifests(fmt))


def test_every_format_has_both_days_and_nothing_but_parquet_under_data(export):
    for fmt in FORMATS:
        assert {m["run_date"] for m in export.manifests(fmt)} == {str(d) for d in DAYS}, fmt
        files = [p for p in export.root(fmt).rglob("*") if p.is_file()]
        assert files and all(p.name.endswith(".parquet") for p in files), files
        assert (export.output / fmt / "README.md").is_file()


@pytest.mark.parametrize("fmt", FORMATS)
def test_pandas(export, fmt):
    df = pd.read_parquet(export.root(fmt))
    assert len(df) == manifest_rows(export, fmt) > 0
    assert {type(d) for d in df["run_date"]} == {datetime.date}
    assert set(df["run_date"]) == DAYS
    assert (df["schema_version"] == 2).all()


@pytest.mark.parametrize("fmt", FORMATS)
def test_pyarrow_dataset(export, fmt):
    table = ds.dataset(export.root(fmt)).to_table()
    assert table.num_rows == manifest_rows(export, fmt)
    assert table.schema.field("run_date").type == pa.date32()
    json_columns = {"trajectories": ["tools", "evaluation"], "sft": ["tools"], "verl": []}[fmt]
    for column in json_columns:
        assert isinstance(table.schema.field(column).type, pa.JsonType), column
    if fmt != "verl":
        function = table.schema.field("messages").type.value_type.field("tool_calls").type.value_type \
            .field("function").type
        assert isinstance(function.field("arguments").type, pa.JsonType)
    else:
        assert isinstance(table.schema.field("reward_model").type.field("ground_truth").type, pa.JsonType)


@pytest.mark.parametrize("fmt", FORMATS)
def test_polars(export, fmt):
    frame = pl.read_parquet(export.root(fmt))
    assert frame.height == manifest_rows(export, fmt)
    assert frame.schema["run_date"] == pl.Date
    assert set(frame["run_date"].to_list()) == DAYS


@pytest.mark.parametrize("fmt", FORMATS)
def test_duckdb(export, fmt):
    files = f"read_parquet('{export.root(fmt)}/*/*.parquet')"
    assert duckdb.sql(f"SELECT count(*) FROM {files}").fetchone()[0] == manifest_rows(export, fmt)
    types = dict((row[0], row[1]) for row in duckdb.sql(f"DESCRIBE SELECT * FROM {files}").fetchall())
    assert types["run_date"] == "DATE"
    assert "MAP(" not in " ".join(types.values())
    if fmt == "trajectories":
        assert types["tools"] == "JSON" and types["evaluation"] == "JSON"
        assert "arguments JSON" in types["messages"]
        # JSON functions work on the typed columns directly
        names = duckdb.sql(f"""SELECT DISTINCT json_extract_string(t, '$.function.name') AS name
                               FROM (SELECT unnest(json_extract(tools, '$[*]')) AS t FROM {files}
                                     WHERE tools IS NOT NULL) ORDER BY name""").fetchall()
        assert ("submit",) in names
    if fmt == "verl":
        assert "ground_truth JSON" in types["reward_model"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_hugging_face_datasets(export, fmt):
    data = load_dataset("parquet", data_dir=str(export.root(fmt)), split="train")
    assert data.num_rows == manifest_rows(export, fmt)
    assert data.features["run_date"] == Value("date32")
    assert {row["run_date"] for row in data} == DAYS
    if fmt == "verl":
        assert isinstance(data.features["reward_model"]["ground_truth"], Json)
        assert all(isinstance(row["reward_model"]["ground_truth"], dict) for row in data)
        return
    assert isinstance(data.features["tools"], Json)
    tool_rows = [row for row in data if row["tools"] is not None]
    assert tool_rows, "no tool-calling rows"
    for row in tool_rows:
        assert isinstance(row["tools"], list) and row["tools"][0]["type"] == "function"
        calls = [c for m in row["messages"] for c in (m["tool_calls"] or [])]
        assert calls
        # every call keeps its own argument keys: no struct merging every call's keys padded with nulls
        for call in calls:
            assert isinstance(call["function"]["arguments"], dict)
            assert None not in call["function"]["arguments"].values()
