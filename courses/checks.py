"""System checks: what a deployment needs before learners complete courses."""

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
