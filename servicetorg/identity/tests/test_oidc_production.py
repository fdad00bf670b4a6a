"""A production installation (DEMO=false) refuses to start with TestID or synthetic people."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {"DEMO": "false", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "servicetorg.example"}


def start(**env: str) -> subprocess.CompletedProcess:
    """Load the settings and the apps in a fresh interpreter, as a server would."""
    environment = {**os.environ, **PRODUCTION, **env}
    for name in ("TESTID_ENABLED", "ALLOW_SYNTHETIC_IDS"):
        if name not in env:
            environment.pop(name, None)
    code = "import django; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )


def test_it_starts_in_production_without_testid():
    result = start()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("setting", ["TESTID_ENABLED", "ALLOW_SYNTHETIC_IDS"])
def test_it_refuses_to_start_in_production_with(setting):
    result = start(**{setting: "true"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DEMO=false" in result.stderr
