"""manage.py import_article PATH [PATH …]: bring source texts in as draft articles."""

import stat
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from history import services, text
from history.text import UnreadableText


class Command(BaseCommand):
    help = (
        "Import plain-text or Markdown files as draft articles, as the admin's “Add article” "
        "does. Hard-wrapped lines are joined into paragraphs; headings, lists, quotes, notes "
        "and emphasis are kept; the title, a kicker and front matter (title, author, date, "
        "source, licence, language) are read; the encoding is detected. Importing the same "
        f"text again changes nothing. An article holds {text.size_limit_text()}. If any file "
        "is bad, nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", type=Path, help="text (.txt) or Markdown (.md) files"
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="replace the text of the article with the same title (its excerpts follow) "
            "instead of making a new article",
        )
        parser.add_argument(
            "--skip-bad", action="store_true", help="import the good files even if some are bad"
        )

    def handle(self, *args, paths, update, skip_bad, **options):
        total = len(paths)
        prepared, bad = [], []
        for index, path in enumerate(paths, 1):
            try:
                prepared.append(services.article_prepare_import(data=_read(path), name=str(path)))
            except (UnreadableText, OSError) as exc:
                reason = str(exc) if isinstance(exc, UnreadableText) else f"{path}: {exc}"
                bad.append(reason)
                if total > 1:
                    self.stderr.write(f"[{index}/{total}] refused: {reason}")
            else:
                if total > 1:
                    self.stdout.write(f"[{index}/{total}] {path.name}: read")
        if bad and not skip_bad:
            raise CommandError(
                "Nothing was imported.\n"
                + "\n".join(bad)
                + ("\nUse --skip-bad to import the other files." if total > 1 else "")
            )

        created = updated = unchanged = 0
        try:
            with transaction.atomic():
                for index, item in enumerate(prepared, 1):
                    result = services.article_import(prepared=item, update=update)
                    created += result.action == "created"
                    updated += result.action == "updated"
                    unchanged += result.action == "unchanged"
                    counter = f"[{index}/{len(prepared)}] " if len(prepared) > 1 else ""
                    self._report(counter, item, result)
        except ValidationError as exc:
            raise CommandError("Nothing was imported. " + " ".join(exc.messages)) from exc

        summary = f"{created} created, {updated} updated, {unchanged} unchanged"
        if bad:
            summary += f", {len(bad)} refused"
        self.stdout.write(self.style.SUCCESS(summary + "."))
        if bad:
            raise CommandError(f"{len(bad)} file(s) refused; the others were imported.")

    def _report(self, counter, item, result):
        first, *rest = result.report()
        self.stdout.write(f"{counter}{Path(item.name).name}: {first} (id {result.article.pk})")
        for line in rest:
            style = self.style.WARNING if line.startswith("paragraphs to check") else str
            self.stdout.write(style(f"    {line}"))


def _read(path: Path) -> bytes:
    """The file's bytes, or OSError with the real reason (not "no such file" for a folder)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise OSError("no such file") from None
    except PermissionError:
        raise OSError("not allowed to read it (check its permissions)") from None
    if stat.S_ISDIR(mode):
        raise OSError("a folder, not a file (name the files in it, e.g. folder/*.txt)")
    if not stat.S_ISREG(mode):
        raise OSError("not a regular file (a device, a pipe or a socket)")
    # The size is checked before the file is read (services check the characters after).
    text.check_size(size=path.stat().st_size, name=path.name)
    try:
        with path.open("rb") as handle:
            data = handle.read(text.MAX_BYTES + 1)  # a file that grew since stat() is bounded
    except PermissionError:
        raise OSError("not allowed to read it (check its permissions)") from None
    text.check_size(size=len(data), name=path.name)
    return data
