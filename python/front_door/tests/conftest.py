"""Fixtures of the front-door tests."""

import pathlib

import pytest

import front_door_support


@pytest.fixture(scope="session")
def repo() -> pathlib.Path:
    return front_door_support.REPO


@pytest.fixture()
def new_user_env() -> dict:
    return front_door_support.new_user_env()
