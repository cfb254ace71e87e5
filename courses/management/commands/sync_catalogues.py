"""After makemessages: English (the source) translates to itself; headers stop being fuzzy."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import to_locale

import polib


class Command(BaseCommand):
    help = "Fill the English catalogue from its msgids and clear the fuzzy flag on headers."

    def handle(self, *args, **options):
        locale_dir = Path(settings.LOCALE_PATHS[0])
        source = to_locale(settings.LANGUAGE_CODE)
        for path in sorted(locale_dir.glob("*/LC_MESSAGES/django.po")):
            po = polib.pofile(str(path), wrapwidth=100)
            po.metadata_is_fuzzy = False
            po.metadata["Language"] = path.parts[-3]
            if path.parts[-3] == source:
                for entry in po:
                    entry.msgstr = entry.msgid
                    if entry.msgid_plural:
                        entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                    if "fuzzy" in entry.flags:
                        entry.flags.remove("fuzzy")
            po.save()
            untranslated = len(po.untranslated_entries()) + len(po.fuzzy_entries())
            self.stdout.write(f"{path.parts[-3]:8} {untranslated} string(s) to translate")
