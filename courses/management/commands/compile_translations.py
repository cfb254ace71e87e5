"""Compile locale/*/LC_MESSAGES/*.po into .mo files with polib, so no GNU gettext is needed."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import polib


class Command(BaseCommand):
    help = "Compile the interface translations (locale/*/LC_MESSAGES/*.po) into .mo files."

    def handle(self, *args, **options):
        compiled = 0
        for locale_path in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_path).glob("*/LC_MESSAGES/*.po")):
                mo_path = po_path.with_suffix(".mo")
                try:
                    polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                compiled += 1
        self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
