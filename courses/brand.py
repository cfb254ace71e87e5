"""The site's name, from one translatable string.

Pages (header, <title>, footer), emails (greeting, signature, subject, sender), handouts and
reports all name the site through ``site_name()``; sentences that mention the site take it as
a placeholder (``%(site_name)s``) instead of spelling it. Translators then give the name once
per language, and no page or email mixes two names for the site.

Certificates keep the issuer name they were issued with: that is a record, not the brand.

An operator may also name a partner institution in the admin (SiteBranding): the header
then shows its logo, small, beside the site's name.
"""

from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

from courses import pagetree

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


# The logo's rendition: at most 40 CSS pixels high in the header, twice that for sharp
# screens; never wider than a phone's header can spare.
LOGO_RENDITION = "max-320x80"


def partner_of(site):
    """The partner the header shows for this site: {name, url, logo: {url, width, height}
    or None}, or None when no partner is named."""
    from courses.models.brand import SiteBranding

    branding = SiteBranding.objects.filter(site=site).select_related("partner_logo").first()
    if branding is None or not branding.partner_name.strip():
        return None
    logo = None
    if branding.partner_logo is not None:
        rendition = branding.partner_logo.get_rendition(LOGO_RENDITION)
        logo = {"url": rendition.url, "width": rendition.width, "height": rendition.height}
    return {"name": branding.partner_name.strip(), "url": branding.partner_url, "logo": logo}


def partner(request):
    """partner_of() the request's site, cached until the page tree or the settings change
    (courses/pagetree.py): the header is on every page."""
    site = pagetree.site_for_request(request)
    if site is None:
        return None
    return pagetree.remember("partner", site.pk, lambda: partner_of(site))
