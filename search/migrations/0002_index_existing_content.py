"""Index the content that existed before search did (later saves index themselves)."""

from django.db import migrations


def index_existing_content(apps, schema_editor):
    from search.services import rebuild_index

    rebuild_index(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [migrations.RunPython(index_existing_content, migrations.RunPython.noop)]
