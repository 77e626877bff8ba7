"""rollout-batch's environment protocol on top of AIOpsLab's orchestrator (see README.md beside this package)."""

from .backend import BridgeError, OrchestratorBackend
from .server import BridgeServer

__all__ = ["BridgeError", "BridgeServer", "OrchestratorBackend"]
