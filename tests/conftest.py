"""Shared fixtures: the demo datasets and fake GitHub servers serving them on 127.0.0.1."""

from __future__ import annotations

import pytest

from fakehub import FakeGitHub
from fakehub.demo import demo_dataset, large_dataset


@pytest.fixture(scope="session")
def demo_data():
    """The fictional demo contributor's dataset (deterministic)."""
    return demo_dataset()


@pytest.fixture(scope="session")
def large_data():
    """The large benchmark contributor's dataset (>= 5,000 PRs)."""
    return large_dataset()


@pytest.fixture
def hub(demo_data):
    """A fresh fake GitHub serving the demo dataset, with an empty request log."""
    with FakeGitHub(demo_data) as server:
        yield server


@pytest.fixture
def large_hub(large_data):
    """A fresh fake GitHub serving the large dataset."""
    with FakeGitHub(large_data) as server:
        yield server
