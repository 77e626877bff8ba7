"""Fixtures of the deployment tests: the container image tar, docker-compose.yml and the Kubernetes manifests."""

import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return REPO
