"""Every loading snippet of the user manual (README.md, "### Loading" of "## Exporting datasets") and of each
dataset card runs as written against the exported datasets."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def python_blocks(markdown: str) -> list:
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def readme_loading_section() -> str:
    text = (REPO / "README.md").read_text()
    start = text.index("## Exporting datasets")
    loading = text.index("### Loading", start)
    end = text.find("\n## ", loading)
    return text[loading:end if end >= 0 else len(text)]


def run(code: str, cwd: Path):
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=600,
                            env=dict(os.environ, HF_HUB_OFFLINE="1", HF_DATASETS_OFFLINE="1"))
    assert result.returncode == 0, f"snippet failed:\n{code}\n--- stderr ---\n{result.stderr[-3000:]}"


README_BLOCKS = python_blocks(readme_loading_section())


def test_the_readme_has_loading_snippets():
    assert len(README_BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(README_BLOCKS)))
def test_readme_loading_snippet_runs(export, index):
    # the snippets use the default output folder, datasets/, relative to the working directory
    assert export.output.name == "datasets"
    run(README_BLOCKS[index], export.output.parent)


@pytest.mark.parametrize("fmt", ("trajectories", "sft", "verl"))
def test_dataset_card_snippets_run(export, fmt):
    card = (export.output / fmt / "README.md").read_text()
    assert card.startswith("---\n") and "configs:" in card.split("---")[1]
    blocks = python_blocks(card)
    assert blocks
    for block in blocks:
        run(block, export.output.parent)
