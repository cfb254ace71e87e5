"""System checks: what a deployment needs before learners complete courses."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def certificate_signing_key(app_configs, **kwargs):
    from courses.certificates import signing_key_problem

    problem = signing_key_problem()
    if problem is None:
        return []
    return [
        Error(
            f"No key to sign certificates: {problem}.",
            hint="Set CERTIFICATE_SIGNING_KEY, or run `manage.py generate_signing_key` and "
            "point CERTIFICATE_KEY_FILE at the file. See docs/certificates.md.",
            id="courses.E001",
        )
    ]


@register(Tags.security, deploy=True)
def public_site_url(app_configs, **kwargs):
    """Certificates print and sign SITE_URL for good: it must be the public https address."""
    from courses.links import site_url_problem

    problem = site_url_problem(settings.SITE_URL)
    if problem is None:
        return []
    return [
        Error(
            f"SITE_URL cannot be printed on certificates: {problem}.",
            hint="Set SITE_URL to the site's public https address, e.g. "
            "https://academy.example.org. Certificates, QR codes, credentials and handouts "
            "carry it for good. See docs/deployment.md.",
            id="courses.E002",
        )
    ]
