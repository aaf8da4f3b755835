"""manage.py backup and restore: everything comes back, record for record, file for file.

The site's database (SQLite's online backup API, or pg_dump) and media are backed up,
restored into a fresh database and media folder, and every row of every table and every
file is compared with the original.
"""

import tarfile
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.utils import load_backend
from rest_framework.authtoken.models import Token

from history import services as history_services
from history.models import Article, Event
from operations import backups
from publishing import services as publishing
from tests import factories
from tests.hardening import upload_files

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("groups_back_after_flush"),
]


@pytest.fixture
def content(sample, settings, tmp_path, editor_user, publisher_user):
    """The sample, a draft with revisions, users, a token and an uploaded image."""
    settings.MEDIA_ROOT = tmp_path / "media"
    draft = history_services.article_save(
        article=Article(title="A draft: Petőfi Circle, 1956", body="Words of the draft."),
        user=editor_user,
    )
    draft.body = "Words of the draft, changed."
    history_services.article_save(article=draft, user=editor_user)
    event = Event(title="Poznań protests", date_edtf="28–30 June 1956", image_alt="Workers")
    event.image = ContentFile(upload_files.png(20, 10), name="poznan.png")
    event = history_services.event_save(event=event, user=editor_user)
    publishing.submit_for_review(obj=event, user=editor_user)
    Token.objects.create(user=editor_user)
    factories.LessonFactory(draft=True, title="Gomułka’s October")
    return settings.MEDIA_ROOT


def _fresh_database(tmp_path) -> dict:
    source = connections["default"].settings_dict
    if source["ENGINE"].endswith("sqlite3"):
        return {**source, "NAME": str(tmp_path / "restored.sqlite3")}
    import psycopg

    name = f"{source['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(
        host=source["HOST"], port=source["PORT"], user=source["USER"],
        password=source["PASSWORD"], dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(f'CREATE DATABASE "{name}"')
    return {**source, "NAME": name}


def _drop(database: dict) -> None:
    if database["ENGINE"].endswith("postgresql"):
        import psycopg

        with psycopg.connect(
            host=database["HOST"], port=database["PORT"], user=database["USER"],
            password=database["PASSWORD"], dbname="postgres", autocommit=True,
        ) as admin:  # fmt: skip
            admin.execute(f'DROP DATABASE IF EXISTS "{database["NAME"]}" WITH (FORCE)')


def _every_row(connection) -> dict[str, list]:
    tables = connection.introspection.table_names(include_views=False)
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def fresh(tmp_path):
    database = _fresh_database(tmp_path)
    yield database
    _drop(database)


def test_a_backup_restored_into_a_fresh_database_has_every_record_and_file(
    content, tmp_path, fresh
):
    result = backups.backup(destination=tmp_path / "backups")
    assert result.path.name.endswith(".tar.gz") and result.files == 1

    restored_media = tmp_path / "restored-media"
    backups.restore(archive_path=result.path, database=fresh, media_root=restored_media)

    restored = load_backend(fresh["ENGINE"]).DatabaseWrapper(fresh, alias="restored")
    try:
        original, copy = _every_row(connections["default"]), _every_row(restored)
    finally:
        restored.close()
    assert set(copy) == set(original)
    for table, rows in original.items():
        assert copy[table] == rows, table
    counted = {t: len(original[t]) for t in ("history_article", "reversion_version",
               "auth_user", "authtoken_token", "lessons_lesson", "publishing_statechange")}  # fmt: skip
    assert all(counted.values()), counted  # drafts, revisions, users, tokens, the log
    assert backups.media_manifest(restored_media) == backups.media_manifest(content)


def test_a_restore_refuses_a_database_or_media_folder_that_is_not_empty(content, tmp_path, fresh):
    archive = backups.backup(destination=tmp_path / "b.tar.gz").path
    backups.restore(archive_path=archive, database=fresh, media_root=tmp_path / "m1")
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive_path=archive, database=fresh, media_root=tmp_path / "m2")
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive_path=archive, database=fresh, media_root=tmp_path / "m1")
    backups.restore(archive_path=archive, database=fresh, media_root=tmp_path / "m1", replace=True)


def test_a_damaged_backup_is_refused_before_anything_is_written(content, tmp_path, fresh):
    archive = backups.backup(destination=tmp_path / "b.tar.gz").path
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("media/"):
                content_bytes = data.read()[:-1] + b"!"
                member.size = len(content_bytes)
                import io

                data = io.BytesIO(content_bytes)
            target.addfile(member, data)
    with pytest.raises(backups.BackupError, match="damaged"):
        backups.restore(archive_path=damaged, database=fresh, media_root=tmp_path / "m")
    assert not (tmp_path / "m").exists()
    not_a_backup = tmp_path / "x.tar.gz"
    not_a_backup.write_bytes(b"not a tar")
    with pytest.raises(backups.BackupError, match="cannot be read"):
        backups.restore(archive_path=not_a_backup, database=fresh, media_root=tmp_path / "m")


def test_the_commands_back_up_and_refuse_to_restore_over_a_live_database(content, tmp_path, capsys):
    call_command("backup", str(tmp_path / "out"))
    written = list((tmp_path / "out").glob("history-backup-*.tar.gz"))
    assert len(written) == 1
    assert "Backed up" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"The database .* is not empty"):
        call_command("restore", str(written[0]))
