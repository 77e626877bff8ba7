"""Prepares a ``verl`` export for online multi-turn training against the environment service.

The export's rows hold the opening prompt, the ground truth and ``extra_info`` (problem, task type, group). verl's
multi-turn rollout additionally reads, per row, ``extra_info.tools_kwargs`` (for the ``aiopslab`` tool) and
``extra_info.interaction_kwargs`` (for the interaction); this adds both, with the problem and a seed, so that every
sample verl draws for a prompt steps its own session of the same problem instance.

    python -m rollout_env.verl_data datasets/verl/data/2026-11-25 train.parquet
"""

from __future__ import annotations

import argparse
import sys
import zlib
from pathlib import Path
from typing import Any

TOOL_NAME = "aiopslab"
INTERACTION_NAME = "aiopslab"


def environment_kwargs(row: dict[str, Any], base_seed: int = 0) -> dict[str, Any]:
    """``{"problem_id", "seed"}`` of a row; the seed is derived from the base seed and the row's group."""
    extra = row.get("extra_info") or {}
    problem_id = extra.get("problem_id")
    if not problem_id:
        raise ValueError(f"row {extra.get('index')} has no extra_info.problem_id")
    group = str(extra.get("group_id") or problem_id)
    return {"problem_id": problem_id, "seed": (base_seed * 1_000_003 + zlib.crc32(group.encode())) & 0x7FFFFFFF}


def prepare_rows(rows: list[dict[str, Any]], base_seed: int = 0) -> list[dict[str, Any]]:
    prepared = []
    for row in rows:
        kwargs = environment_kwargs(row, base_seed)
        extra = dict(row.get("extra_info") or {})
        extra["tools_kwargs"] = {TOOL_NAME: {"create_kwargs": dict(kwargs)}}
        extra["interaction_kwargs"] = {"name": INTERACTION_NAME, **kwargs}
        extra["need_tools_kwargs"] = True
        prepared.append({**row, "extra_info": extra})
    return prepared


def prepare(source: str | Path, target: str | Path, base_seed: int = 0) -> int:
    """Reads the export (a partition folder or a file) with pyarrow, writes one Parquet file; returns the rows."""
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    import pyarrow as pa

    # A partition folder's files carry run_date themselves: read them without hive partitioning.
    table = ds.dataset(str(source), format="parquet", exclude_invalid_files=True).to_table()
    rows = prepare_rows(table.to_pylist(), base_seed)
    if not rows:
        raise ValueError(f"{source}: no rows")
    pq.write_table(pa.Table.from_pylist(rows), str(target))
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="the verl export: a data/YYYY-MM-DD folder (or the data/ root) or a Parquet file")
    parser.add_argument("target", help="the Parquet file to write")
    parser.add_argument("--seed", type=int, default=0, help="base seed of the sessions")
    args = parser.parse_args(argv)
    try:
        count = prepare(args.source, args.target, args.seed)
    except (OSError, ValueError) as error:
        print(f"verl_data: {error}", file=sys.stderr)
        return 2
    print(f"wrote {count} rows to {args.target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
