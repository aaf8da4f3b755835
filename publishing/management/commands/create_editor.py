"""manage.py create_editor [USERNAME]: an account for the admin, with a password printed once."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors and Publishers groups with a new random password, "
        "printed once. An existing account is left alone unless --reset-password is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="editor")
        parser.add_argument(
            "--groups",
            default="Editors,Publishers",
            help="comma-separated groups to put the account in (default: Editors,Publishers)",
        )
        parser.add_argument("--reset-password", action="store_true")

    @transaction.atomic
    def handle(self, *args, username, groups, reset_password, **options):
        User = get_user_model()
        names = [g.strip() for g in groups.split(",") if g.strip()]
        found = list(Group.objects.filter(name__in=names))
        missing = sorted(set(names) - {g.name for g in found})
        if missing:
            raise CommandError(f"No such group: {', '.join(missing)}. Run migrate first.")
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        user.groups.add(*found)
        if not created and not reset_password:
            self.stdout.write(
                f"The account “{username}” already exists; its password is unchanged "
                f"(make a new one with: manage.py create_editor {username} --reset-password)."
            )
            return
        password = secrets.token_urlsafe(12)
        user.is_staff = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset the password of"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} the account “{username}” ({', '.join(names)}).")
        )
        self.stdout.write(f"    username: {username}\n    password: {password}")
        self.stdout.write("    This password is shown only now; keep it somewhere safe.")
