"""Makes the shared test helpers in tests/lib importable from every test folder, and keeps each test's
call report on its item so fixtures can tell a failed test in their teardown."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, "rep_" + report.when, report)
