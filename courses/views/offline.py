"""Light and offline reading: the data-saver switch, the service worker, the offline page."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from courses import links
from courses.middleware import has_nul, nul_refused
from courses.models.learners import profile_for
from courses.offline import DATA_SAVER_COOKIE, service_worker_script

ONE_YEAR = 365 * 24 * 60 * 60


@csrf_exempt
@require_POST
def toggle_data_saver(request):
    """Turn data saver on or off: in the profile when signed in, in a cookie otherwise.

    Only the signed-in case is CSRF-checked. A visitor's toggle changes nothing on the server:
    it sets or clears a cookie in their own browser, so a post forged by another site could at
    worst switch a visitor's data saver on or off. Without a token in the form, every anonymous
    page is the same for everyone and can be served from the proxy's cache (courses/caching.py).
    """
    if request.user.is_authenticated:
        return toggle_in_profile(request)
    if has_nul(request.POST):  # the NUL check skips views exempt from CSRF (middleware.py)
        return nul_refused()
    return toggle(request)


@csrf_protect
def toggle_in_profile(request):
    return toggle(request)


def toggle(request):
    turn_on = request.POST.get("data_saver") == "1"
    next_url = links.local_next(request, request.POST.get("next", ""))
    response = HttpResponseRedirect(next_url or reverse("wagtail_serve", args=[""]))
    if request.user.is_authenticated:
        profile = profile_for(request.user)
        profile.data_saver = turn_on
        profile.save(update_fields=["data_saver", "updated_at"])
    elif turn_on:
        response.set_cookie(DATA_SAVER_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax")
    else:
        response.delete_cookie(DATA_SAVER_COOKIE, samesite="Lax")
    if turn_on:
        messages.success(
            request, _("Data saver is on: lessons show images and videos only when you ask.")
        )
    else:
        messages.success(request, _("Data saver is off: lessons show their images."))
    return response


@require_GET
def service_worker(request):
    """The service worker, served from the root so that it may look after every page."""
    response = HttpResponse(service_worker_script(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # Browsers check for a new version on each visit; a stale worker would serve stale pages.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """Shown by the service worker when a page was not saved for reading offline. The
    worker fetches it in the background as it installs, so it leaves the visitor's pending
    messages ("Your email address … is confirmed") for the page they are really opening,
    and a message is never kept in the worker's cache."""
    return render(request, "courses/offline/offline.html", {"leave_messages": True})
