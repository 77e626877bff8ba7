"""Every format loads from its root with every reader, with no extra arguments, run_date as a date and the JSON
columns typed as JSON."""

import datetime
import json
import os

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from datasets import Json, Value, load_dataset

from dataset_tests.tests.conftest import DAY_TEXT, _jar, _java, _run

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


JSON_PATHS = {
    "trajectories": {"tools", "evaluation", "messages.list.element.tool_calls.list.element.function.arguments"},
    "sft": {"tools", "messages.list.element.tool_calls.list.element.function.arguments"},
    "verl": {"reward_model.ground_truth", "extra_info.tools"},
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_parquet_json_logical_type(export, fmt):
    for file in export.root(fmt).glob("*/*.parquet"):
        schema = pq.ParquetFile(file).schema
        json_paths = {schema.column(i).path for i in range(len(schema))
                      if schema.column(i).logical_type.type == "JSON"}
        assert json_paths == JSON_PATHS[fmt], file


@pytest.mark.parametrize("fmt", FORMATS)
def test_pyarrow_dataset(export, fmt):
    table = ds.dataset(export.root(fmt)).to_table()
    assert table.num_rows == manifest_rows(export, fmt)
    assert table.schema.field("run_date").type == pa.date32()
    top_level = {p for p in JSON_PATHS[fmt] if "." not in p}
    for column in top_level:  # pyarrow.dataset reads JSON columns as their text by default ...
        assert table.schema.field(column).type == pa.string()
        assert all(v is None or json.loads(v) is not None for v in table.column(column).to_pylist())
    # ... and as the arrow.json extension type when asked to, as pq.read_table (and pandas) does by default
    typed = ds.dataset(export.root(fmt), format=ds.ParquetFileFormat(arrow_extensions_enabled=True)).schema
    read_table = pq.read_table(export.root(fmt)).schema
    for column in top_level:
        assert isinstance(typed.field(column).type, pa.JsonType), column
        assert isinstance(read_table.field(column).type, pa.JsonType), column
    table = pq.read_table(export.root(fmt))
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
    calls = [c for row in tool_rows for m in row["messages"] for c in (m["tool_calls"] or [])]
    assert calls, "no tool calls"
    for row in tool_rows:
        assert isinstance(row["tools"], list) and row["tools"][0]["type"] == "function"
    # every call keeps its own argument keys: no struct merging every call's keys padded with nulls
    for call in calls:
        assert isinstance(call["function"]["arguments"], dict)
        assert None not in call["function"]["arguments"].values()


def test_the_dataset_card_loads_each_exports_own_rows_with_a_shared_cache(export, tmp_path):
    """Hugging Face datasets keys its cache of a local folder on the card's front matter alone: an export whose card
    did not change with its data would be loaded as an earlier export's rows (here: both days for one)."""
    cache = tmp_path / "hf-cache"
    both = load_dataset(str(export.output / "trajectories"), split="train", cache_dir=str(cache))
    assert both.num_rows == manifest_rows(export, "trajectories")

    one_day = tmp_path / "one-day"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SPRING_"))}
    dbname = export.dsn.split("dbname=")[1].split()[0]
    env.update(SPRING_PROFILES_ACTIVE="postgres", SPRING_DATASOURCE_URL=f"jdbc:postgresql://127.0.0.1:5432/{dbname}")
    _run([_java(), "-jar", str(_jar()), "--spring.batch.job.name=export", f"from={DAY_TEXT}", f"to={DAY_TEXT}",
          "format=trajectories", f"output={one_day}"], env, tmp_path / "export-one-day.log", tmp_path)
    expected = sum(json.loads(p.read_text())["total_rows"]
                   for p in (one_day / "trajectories" / "_manifests").glob("*/_manifest.json"))
    assert 0 < expected < both.num_rows

    reloaded = load_dataset(str(one_day / "trajectories"), split="train", cache_dir=str(cache))
    assert reloaded.num_rows == expected
    assert {row["run_date"] for row in reloaded} == {DAY_TEXT}
