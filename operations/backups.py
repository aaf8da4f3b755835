"""Backing up and restoring everything: the whole database and the uploaded media.

Everything means every table (drafts, revisions, users, tokens, publication log, the search
index), not only published content (``export_content`` is for that). The database is copied
with its own tools, so that the copy is consistent while the site runs: SQLite's online backup
API, PostgreSQL's ``pg_dump`` (restored with ``pg_restore`` in one transaction).

A backup is one ``.tar.gz``: ``manifest.json`` (when, which database, every media file with
its SHA-256), ``database.sqlite3`` or ``database.pgdump``, and ``media/``. A restore goes into
an empty database and an empty media folder unless ``replace`` is given; what it restores is
checked against the manifest first.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    engine: str
    files: int
    size: int


@dataclass
class RestoreResult:
    engine: str
    files: int
    created: str  # when the backup was made


def _engine(database: dict) -> str:
    engine = database["ENGINE"].rsplit(".", 1)[-1].replace("sqlite3", "sqlite")
    if engine not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {database['ENGINE']}.")
    return engine


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_manifest(media_root: Path) -> list[dict]:
    """Every file under ``media_root``: its path (POSIX, relative), size and SHA-256."""
    if not media_root.is_dir():
        return []
    return [
        {"path": path.relative_to(media_root).as_posix(), "size": path.stat().st_size,
         "sha256": _sha256(path)}
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    ]  # fmt: skip


# --- PostgreSQL's tools ----------------------------------------------------------------------


def _pg_env(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                      ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if database.get(key):
            env[name] = str(database[key])
    return env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name, path=os.environ.get("PG_BIN") or None) or shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} is needed to back up or restore PostgreSQL: install the PostgreSQL client "
            "(apt-get install postgresql-client) or set PG_BIN to the folder that has it."
        )
    return tool


def _run(command: list[str], env: dict[str, str]) -> None:
    # The command is our own (pg_dump/pg_restore with paths and settings), never user input.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


# --- backup ----------------------------------------------------------------------------------


def _dump_database(alias: str, target: Path) -> str:
    connection = connections[alias]
    engine = _engine(connection.settings_dict)
    if engine == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # consistent while others write
        finally:
            destination.close()
    else:
        _run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
             f"--file={target}"],
            _pg_env(connection.settings_dict),
        )  # fmt: skip
    return engine


def backup(
    *, destination: Path, using: str = DEFAULT_DB_ALIAS, media_root: Path | None = None
) -> BackupResult:
    """Write a backup of the database ``using`` and of ``media_root`` to ``destination`` (a
    .tar.gz file, or a folder in which one is named by the time)."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    destination = Path(destination)
    if destination.is_dir() or not destination.name.endswith(".tar.gz"):
        destination.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        destination = destination / f"history-backup-{stamp}.tar.gz"
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="backup-") as work:
        engine = _dump_database(using, Path(work) / "database")
        files = media_manifest(media_root)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "engine": engine,
            "database": DUMP_NAMES[engine],
            "media": files,
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, fileobj=_bytes_io(data))
            archive.add(Path(work) / "database", arcname=DUMP_NAMES[engine])
            for entry in files:
                archive.add(media_root / entry["path"], arcname=f"media/{entry['path']}")
        partial.replace(destination)  # never a half-written backup under the final name
    return BackupResult(destination, engine, len(files), destination.stat().st_size)


def _bytes_io(data: bytes) -> io.BytesIO:
    return io.BytesIO(data)


# --- restore ---------------------------------------------------------------------------------


def _sqlite_connect(name: str) -> sqlite3.Connection:
    return sqlite3.connect(name, uri=name.startswith("file:"))  # a URI: the test database


def _sqlite_is_empty(path: str) -> bool:
    if path in ("", ":memory:") or (not path.startswith("file:") and not Path(path).exists()):
        return True
    with _sqlite_connect(path) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        ).fetchone()[0]
    return tables == 0


def _pg_is_empty(database: dict) -> bool:
    import psycopg

    env = _pg_env(database)
    conninfo = {k: env[v] for k, v in (("host", "PGHOST"), ("port", "PGPORT"),
                ("user", "PGUSER"), ("password", "PGPASSWORD"), ("dbname", "PGDATABASE"))
                if v in env}  # fmt: skip
    with psycopg.connect(**conninfo) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()[0]
    return tables == 0


def _check_empty(engine: str, database: dict) -> None:
    if engine == "sqlite" and not _sqlite_is_empty(str(database["NAME"])):
        raise BackupError(
            f"The database {database['NAME']} is not empty. Restore into a new one, or give "
            "--replace to overwrite it (stop the site first)."
        )
    if engine == "postgresql" and not _pg_is_empty(database):
        raise BackupError(
            f"The database {database['NAME']} is not empty. Restore into a new one (createdb), "
            "or give --replace to drop and restore its tables (stop the site first)."
        )


def _restore_database(engine: str, dump: Path, database: dict, replace: bool) -> None:
    if engine == "sqlite":
        name = str(database["NAME"])
        source = sqlite3.connect(dump)
        target = _sqlite_connect(name)
        try:
            source.backup(target)  # replaces every page of the target, in one step
        finally:
            source.close()
            target.close()
        return
    command = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
               "--single-transaction", f"--dbname={database['NAME']}"]  # fmt: skip
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, str(dump)], _pg_env(database))


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError("This is not a backup made by manage.py backup (no manifest).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup's format ({manifest.get('format')}) is not {FORMAT}.")
    return manifest


def restore(
    *,
    archive_path: Path,
    database: dict | None = None,
    media_root: Path | None = None,
    replace: bool = False,
) -> RestoreResult:
    """Restore a backup into ``database`` (a settings dict; default: the site's) and
    ``media_root``. Both must be empty unless ``replace`` is given."""
    database = database or connections[DEFAULT_DB_ALIAS].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    engine = _engine(database)
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive_path} cannot be read as a backup: {exc}") from exc
    with archive, tempfile.TemporaryDirectory(prefix="restore-") as work:
        manifest = read_manifest(archive)
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; the site uses {engine}. "
                "Move content between databases with export_content and import_content."
            )
        if not replace:
            _check_empty(engine, database)
        if media_root.is_dir() and any(media_root.iterdir()) and not replace:
            raise BackupError(
                f"The media folder {media_root} is not empty. Restore into an empty one, or "
                "give --replace."
            )
        archive.extractall(work, filter="data")  # no absolute paths, links or ../ escapes
        work_path = Path(work)
        for entry in manifest["media"]:
            path = work_path / "media" / entry["path"]
            if not path.is_file() or _sha256(path) != entry["sha256"]:
                raise BackupError(f"The backup is damaged: media/{entry['path']} does not match.")
        dump = work_path / manifest["database"]
        if not dump.is_file():
            raise BackupError("The backup is damaged: it has no database.")
        _restore_database(engine, dump, database, replace)
        if (work_path / "media").is_dir():
            shutil.copytree(work_path / "media", media_root, dirs_exist_ok=True)
    if database is connections[DEFAULT_DB_ALIAS].settings_dict:
        connections[DEFAULT_DB_ALIAS].close()  # the next query sees the restored database
    return RestoreResult(engine, len(manifest["media"]), manifest["created"])
