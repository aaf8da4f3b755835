"""Index the content that existed before search did.

Superseded: the index now holds live versions only, and is built when content is published
(and by ``publishing``'s post-migrate step for content published before live versions
existed). Kept, as a no-op, so that the migration history stays the same.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_documents")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
