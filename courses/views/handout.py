"""The module handout download: a printable PDF of a live, public module's lessons, rendered
once per published state and kept in the default storage."""

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from courses import handout_store
from courses.models import CoursePage
from courses.workshops import locked_until


@require_GET
def module_handout(request, module_id):
    """The module's handout as an attachment named after the module's slug."""
    module = handout_store.downloadable(module_id)
    if module is None:
        raise Http404
    opens_on = locked_until(request.user, module)
    if opens_on is not None:
        context = {
            "page": module,
            "opens_on": opens_on if opens_on is not True else None,
            "course": CoursePage.objects.filter(path=module.path[: module.steplen * 3]).first(),
        }
        return TemplateResponse(request, "courses/workshops/locked.html", context, status=403)
    with handout_store.stored_handout(module) as file:
        response = HttpResponse(file.read(), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{module.slug}.pdf")
    return response
