"""Keep people with admin access out of the Wagtail admin until they have set up TOTP."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled

# Admin paths reachable without TOTP: leaving, or being sent on to allauth's login.
OPEN_ADMIN_PATHS = ("login/", "logout/")


class AdminRequiresTwoFactorMiddleware:
    """Redirects admin requests from users without a TOTP authenticator to its set-up page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.REQUIRE_ADMIN_MFA and self.needs_totp(request):
            messages.warning(
                request,
                _("Set up two-factor authentication before you use the administration area."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def needs_totp(request):
        admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(admin_prefix):
            return False
        if request.path[len(admin_prefix) :].startswith(OPEN_ADMIN_PATHS):
            return False
        user = request.user
        if not user.is_authenticated or not user.has_perm("wagtailadmin.access_admin"):
            return False  # Wagtail itself sends these to login or refuses them.
        return not is_mfa_enabled(user, [Authenticator.Type.TOTP])
