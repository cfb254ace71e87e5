"""Two-factor before privileged work: the admin as a whole, and any view that raises
permissions.TwoFactorRequired (see courses/permissions.py for who must have it).

Security headers: the Content-Security-Policy (strict for the site, Wagtail's admin has its
own, laxer one) and the Permissions-Policy; both are set in config/settings/base.py."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from csp.middleware import CSPMiddleware

from courses import permissions

# Admin paths reachable without TOTP: leaving, or being sent on to allauth's login.
OPEN_ADMIN_PATHS = ("login/", "logout/")


class AdminRequiresTwoFactorMiddleware:
    """Sends people who must have TOTP and have not set it up to allauth's set-up page:
    from every admin page, and from any other view that asks for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.needs_totp(request):
            return self.send_to_setup(
                request,
                _("Set up two-factor authentication before you use the administration area."),
            )
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, permissions.TwoFactorRequired):
            return self.send_to_setup(
                request,
                _(
                    "Your account can see other people's data: set up two-factor "
                    "authentication (an authenticator app) before you continue."
                ),
            )
        return None

    @staticmethod
    def send_to_setup(request, message):
        messages.warning(request, message)
        return redirect("mfa_activate_totp")

    @staticmethod
    def needs_totp(request):
        admin_prefix = reverse("wagtailadmin_home")
        if not request.path.startswith(admin_prefix):
            return False
        if request.path[len(admin_prefix) :].startswith(OPEN_ADMIN_PATHS):
            return False
        return permissions.two_factor_missing(request.user)


# Security headers


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ADMIN_CONTENT_SECURITY_POLICY under Wagtail's admin:
    its templates still carry inline scripts and style attributes that the site's policy
    forbids. The admin takes the mode (enforced or report-only) the site's policy has."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        mode = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        in_admin = request.path_info.startswith(reverse("wagtailadmin_home"))
        if parts.config is None and in_admin and getattr(settings, mode, None):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class PermissionsPolicyMiddleware:
    """Sends PERMISSIONS_POLICY (feature → allowed origins; empty: nobody) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character in a query or a form field is refused with a 400 before any view sees
    it: no form here sends one, PostgreSQL cannot store one (a 500 wherever raw text reached
    a query), and stripping it would change what was sent. The form is read where Django's
    CSRF check reads it anyway; the views exempt from that check are the uploads, which cap
    the body before reading it (courses/uploads.py) and whose forms refuse NUL in text."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        fields = [request.GET]
        if request.method == "POST" and not getattr(view_func, "csrf_exempt", False):
            fields.append(request.POST)
        if any(has_nul(data) for data in fields):
            return nul_refused()
        return None


def nul_refused():
    """The 400 for a request with a NUL character, for views that read their form themselves."""
    return HttpResponseBadRequest(
        _("The request contains a character no form sends (NUL). Nothing was changed."),
        content_type="text/plain; charset=utf-8",
    )


def has_nul(data):
    """Whether any key or value of a QueryDict holds a NUL character."""
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in data.lists()
    )
