"""``{{ certificate|linkedin_url }}``: LinkedIn's add-to-profile link for a certificate (see
courses/transcript.py), wherever a certificate is listed."""

from django import template

from courses import transcript

register = template.Library()


@register.filter
def linkedin_url(certificate):
    return transcript.linkedin_url(certificate)
