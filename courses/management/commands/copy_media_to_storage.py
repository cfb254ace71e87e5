"""Copy the files under a media folder into the default storage, keeping their names.

Run it once when moving a site from the file system to a bucket (S3_BUCKET set): the
database keeps the names it has, so each file must land under the same name. Files the
storage already holds are left alone, so the command can be run again after an interruption.
"""

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Copy files from MEDIA_ROOT (or --source) into the default storage, same names."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source", default=None, help="Folder to copy from (default: MEDIA_ROOT)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be copied; copy nothing."
        )

    def handle(self, *args, source=None, dry_run=False, **options):
        root = Path(source or settings.MEDIA_ROOT)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        copied = skipped = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if default_storage.exists(name):
                skipped += 1
                continue
            if not dry_run:
                with path.open("rb") as file:
                    stored = default_storage.save(name, File(file, name=name))
                if stored != name:
                    raise CommandError(f"{name} was stored as {stored}; stopping.")
            copied += 1
            self.stdout.write(name)
        verb = "Would copy" if dry_run else "Copied"
        self.stdout.write(f"{verb} {copied} files; {skipped} already in the storage.")
