"""Consumer tests of rollout-batch's Parquet datasets: a real collect -> export, read by the libraries data
scientists use (pandas, pyarrow, Polars, DuckDB, Hugging Face datasets, TRL)."""
