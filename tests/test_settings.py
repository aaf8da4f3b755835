"""Settings come from the environment; production refuses to start without a secret key."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_settings(env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "TESTING"}}
    # Only the environment: not the var/.env (DEBUG=1) that `make run` leaves in a checkout.
    env["ENV_FILE"] = ""
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], settings.DEBUG)"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_without_debug_a_missing_secret_key_is_an_error():
    result = run_settings({"DATABASE_URL": ""})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_with_a_secret_key_and_no_database_url_sqlite_is_used():
    result = run_settings({"SECRET_KEY": "x" * 50, "DATABASE_URL": ""})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.sqlite3 False"


def test_database_url_selects_postgresql():
    result = run_settings({"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://u:p@localhost/db"})
    assert result.returncode == 0, result.stderr
    # Django's backend with a cheaper health check (operations/postgresql/base.py).
    assert result.stdout.startswith("operations.postgresql ")
