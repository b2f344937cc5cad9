import pytest

from .scenario import build_march


@pytest.fixture
def march(hall):
    return build_march(hall)
