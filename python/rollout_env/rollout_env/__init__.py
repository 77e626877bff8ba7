"""Trainer side of rollout-batch's environment service: a protocol client, a verl reward function and a verl tool."""

from .client import EnvClient, EnvServiceError, Session, Step

__all__ = ["EnvClient", "EnvServiceError", "Session", "Step"]
