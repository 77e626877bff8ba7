import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "tests"))

from rollout_env_harness import database, exported, service  # noqa: E402,F401 - fixtures for the tests
