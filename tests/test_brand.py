"""The header: the programme's name, and the partner's logo the operator chose in the
admin's settings (SiteBranding), small, named for people who cannot see it."""

import re

from django.core.exceptions import ValidationError

from wagtail.models import Site

import pytest

from courses.models import SiteBranding
from tests import factories

pytestmark = pytest.mark.django_db
PARTNER = "Judicial Training Institute"


def header(client, url="/en/verify/"):
    html = client.get(url).content.decode()
    return html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


@pytest.fixture
def site(all_locales):
    factories.make_home()
    return Site.objects.get(is_default_site=True)


def test_without_a_partner_the_header_shows_the_programme_alone(client, site):
    html = header(client)
    assert 'class="brand" href="/en/">Evidence Academy</a>' in html
    assert "partner" not in html


def test_the_partners_logo_is_a_small_rendition_named_after_the_partner(client, site):
    logo = factories.make_image(1200, 600, kind="PNG", title="JTI logo")
    SiteBranding.objects.create(
        site=site, partner_name=PARTNER, partner_logo=logo, partner_url="https://jti.example.org/"
    )
    html = header(client)
    link = re.search(r'<a class="partner" href="https://jti.example.org/"><img ([^>]*)></a>', html)
    assert link, html
    image = link.group(1)
    assert f'alt="{PARTNER}"' in image
    height = int(re.search(r'height="(\d+)"', image).group(1))
    width = int(re.search(r'width="(\d+)"', image).group(1))
    assert height <= 80 and width <= 320  # never the 1200 px upload
    assert logo.file.url not in image
    # On every kind of page: Wagtail's pages too.
    assert f'alt="{PARTNER}"' in header(client, "/en/")


def test_a_partner_without_a_logo_is_named_in_text(client, site):
    SiteBranding.objects.create(site=site, partner_name=PARTNER)
    assert f'<span class="partner">{PARTNER}</span>' in header(client)


def test_a_changed_setting_shows_at_the_next_request(client, site):
    header(client)  # cached
    branding = SiteBranding.objects.create(site=site, partner_name=PARTNER)
    assert PARTNER in header(client)
    branding.partner_name = "Police Academy"
    branding.save()
    html = header(client)
    assert "Police Academy" in html and PARTNER not in html


def test_a_partner_name_is_escaped(client, site):
    SiteBranding.objects.create(site=site, partner_name='<script>alert("x")</script>')
    html = header(client)
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_a_logo_needs_the_partners_name(site):
    logo = factories.make_image(400, 100, kind="PNG", title="Logo")
    branding = SiteBranding(site=site, partner_logo=logo)
    with pytest.raises(ValidationError) as raised:
        branding.full_clean()
    assert "partner_name" in raised.value.message_dict
