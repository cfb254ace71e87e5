"""Glue between Wagtail's admin and allauth."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from courses import links


def admin_login_redirect(request):
    """Send Wagtail's /admin/login/ to allauth's login, keeping a safe ``next``."""
    target = links.local_next(request, request.GET.get("next", ""))
    target = target or reverse("wagtailadmin_home")
    return redirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
