"""The site's name, from one translatable string.

Pages (header, <title>, footer), emails (greeting, signature, subject, sender), handouts and
reports all name the site through ``site_name()``; sentences that mention the site take it as
a placeholder (``%(site_name)s``) instead of spelling it. Translators then give the name once
per language, and no page or email mixes two names for the site.

Certificates keep the issuer name they were issued with: that is a record, not the brand.
"""

from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# How the settings spell the name (DEFAULT_FROM_EMAIL, WAGTAIL_SITE_NAME): the msgid.
SOURCE_NAME = gettext_noop("Evidence Academy")


def site_name():
    """The site's name in the active language."""
    return gettext(SOURCE_NAME)


def email_subject(subject):
    """A rendered subject on one line, after the site's name in brackets."""
    return f"[{site_name()}] {' '.join(subject.split())}"


def sender():
    """Who emails come from: DEFAULT_FROM_EMAIL, named in the active language when its name
    is the site's own; a name the operator chose instead is kept as configured."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if name != SOURCE_NAME or not address:
        return settings.DEFAULT_FROM_EMAIL
    # Django's mail encodes a non-ASCII name itself; quote it so that any punctuation in a
    # translation stays part of the name.
    quoted = site_name().replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{address}>'
