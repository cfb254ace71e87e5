"""The module handout download: a printable PDF of a live, public module's lessons."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from wagtail.models import Page

from courses.handout import render_module_handout
from courses.models import CoursePage, ModulePage
from courses.workshops import locked_until

# Bump when the layout changes, so cached handouts of unchanged modules are rendered again.
LAYOUT_VERSION = 1
CACHE_SECONDS = 7 * 24 * 3600


def cache_key(module):
    """Changes whenever the module or any of its pages is published, unpublished or moved."""
    pages = (
        Page.objects.descendant_of(module, inclusive=True)
        .live()
        .public()
        .order_by("path")
        .values_list("pk", "path", "live_revision_id")
    )
    # The footer prints SITE_URL: a handout cached under another address is not served.
    fingerprint = hashlib.sha256(repr([settings.SITE_URL, *pages]).encode()).hexdigest()[:16]
    return f"module-handout:{LAYOUT_VERSION}:{module.pk}:{module.live_revision_id}:{fingerprint}"


@require_GET
def module_handout(request, module_id):
    """The module's handout as an attachment named after the module's slug."""
    module = get_object_or_404(ModulePage.objects.live().public(), pk=module_id)
    if not module.get_parent().live:
        raise Http404
    opens_on = locked_until(request.user, module)
    if opens_on is not None:
        context = {
            "page": module,
            "opens_on": opens_on if opens_on is not True else None,
            "course": CoursePage.objects.filter(path=module.path[: module.steplen * 3]).first(),
        }
        return TemplateResponse(request, "courses/workshops/locked.html", context, status=403)
    key = cache_key(module)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_module_handout(module)
        cache.set(key, pdf, CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{module.slug}.pdf")
    return response
