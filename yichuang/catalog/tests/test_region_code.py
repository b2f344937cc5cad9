"""HALL_REGION_CODE: 12 digits when set, checked at start-up (catalog.E001)."""

import pytest

from yichuang.catalog.checks import check_region_code


@pytest.mark.parametrize("value", ["", "440106000000"])
def test_region_code_may_be_empty_or_twelve_digits(settings, value):
    settings.HALL_REGION_CODE = value
    assert check_region_code() == []


@pytest.mark.parametrize("value", ["440106", "44010600000A", "4401060000001", "4401 0600000"])
def test_region_code_other_than_twelve_digits_stops_start_up(settings, value):
    settings.HALL_REGION_CODE = value
    [error] = check_region_code()
    assert error.id == "catalog.E001"
    assert "12 digits" in error.msg
