"""Production is safe by default, and the README's commands work exactly as printed.

Each runs manage.py in its own process with only the environment it names: nothing from this
test run (TESTING, DEBUG) leaks in.
"""

import re
import secrets
import subprocess

from tests.operations.servers import ROOT

SERVER_ENV = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "history.example.org"}


def _environment(tmp_path, **extra) -> dict[str, str]:
    import os

    keep = ("PATH", "HOME", "LANG", "LC_ALL", "PG_BIN")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        ENV_FILE="",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
        MEDIA_ROOT=str(tmp_path / "media"),
        STATIC_ROOT=str(tmp_path / "static"),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    env.update(extra)
    return env


def _run(command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )


def test_with_only_secret_key_and_allowed_hosts_check_deploy_passes_at_warning_level(tmp_path):
    done = _run(
        ".venv/bin/python manage.py check --deploy --fail-level WARNING",
        _environment(tmp_path, **SERVER_ENV),
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_hsts_and_the_ssl_redirect_can_be_left_to_a_proxy_from_the_environment(tmp_path):
    env = _environment(tmp_path, **SERVER_ENV, HSTS_SECONDS="0", SECURE_SSL_REDIRECT="0")
    done = _run(".venv/bin/python manage.py check --deploy --fail-level WARNING", env)
    assert done.returncode != 0
    assert "security.W004" in done.stderr and "security.W008" in done.stderr


def test_without_a_secret_key_a_server_refuses_to_start_with_a_clear_message(tmp_path):
    done = _run(".venv/bin/python manage.py check", _environment(tmp_path))
    assert done.returncode == 1
    assert "SECRET_KEY is not set" in done.stderr
    assert "Traceback" not in done.stderr


def _readme_commands() -> list[tuple[str, str]]:
    """(section, command) for every `.venv/bin/python manage.py …` the README prints."""
    section, found = "", []
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.startswith("## "):
            section = line[3:]
        # A command ends at a comment, a backquote or the ")" of a "$(…)" around it.
        for match in re.finditer(r"\.venv/bin/python manage\.py [^`#\n)]*", line):
            found.append((section, match.group().strip()))
    return found


def test_every_manage_py_command_the_readme_prints_works_as_printed(tmp_path):
    commands = _readme_commands()
    printed = {command for _, command in commands}
    for expected in ("create_editor editor --reset-password", "drf_create_token editor",
                     "publish_scheduled", "backup", "check --deploy"):  # fmt: skip
        assert any(expected in command for command in printed), expected

    # A development checkout, as `make run` leaves it: var/.env written by the Makefile's own
    # recipe, the database migrated, the editor created (the sample is left out: it is slow).
    dev_env_file = tmp_path / "dev" / ".env"
    made = subprocess.run(
        ["make", "-s", f"DEV_ENV={dev_env_file}", str(dev_env_file)], cwd=ROOT, check=False
    )
    assert made.returncode == 0
    development = _environment(tmp_path / "dev", ENV_FILE=str(dev_env_file))
    for setup in ("migrate --noinput", "create_editor editor"):
        done = _run(f".venv/bin/python manage.py {setup}", development)
        assert done.returncode == 0, done.stderr
    server = _environment(tmp_path / "server", **SERVER_ENV)
    (tmp_path / "server").mkdir()

    outputs = {}
    for section, command in commands:
        env = server if section.startswith("Running it on a server") else development
        done = _run(command, env)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, command
        outputs[command] = done.stdout
    tokens = [out for command, out in outputs.items() if "drf_create_token" in command]
    assert tokens and all(re.search(r"\b[0-9a-f]{40}\b", out) for out in tokens)
    passwords = [out for command, out in outputs.items() if "--reset-password" in command]
    assert passwords and all("password:" in out for out in passwords)

    # The commands the README names with a file: import_article, restore.
    article = tmp_path / "article.txt"
    article.write_text("A title\n\nA paragraph about Gomułka in Poznań, 1956.\n")
    done = _run(f".venv/bin/python manage.py import_article {article}", development)
    assert done.returncode == 0, done.stderr
    backup = next((tmp_path / "dev" / "backups").glob("*.tar.gz"), None) or _made_backup(
        development, tmp_path
    )
    restored = _environment(tmp_path / "restored", ENV_FILE=str(dev_env_file))
    done = _run(f".venv/bin/python manage.py restore {backup}", restored)
    assert done.returncode == 0, done.stderr
    assert "Restored the sqlite database" in done.stdout


def _made_backup(env, tmp_path):
    done = _run(".venv/bin/python manage.py backup", env)
    assert done.returncode == 0, done.stderr
    return next((tmp_path / "dev" / "backups").glob("*.tar.gz"))


def test_the_development_env_file_is_never_read_by_the_test_suite():
    from django.conf import settings

    assert settings.TESTING
    assert not settings.DEBUG
