"""allauth hooks: our wording, where people land after signing in, and the client address
its rate limits count."""

from urllib.parse import urlencode

from django.urls import reverse
from django.urls.base import translate_url
from django.utils.translation import gettext_lazy as _

from allauth.account.adapter import DefaultAccountAdapter

from courses.clientaddress import client_address
from courses.models.learners import profile_for


class AccountAdapter(DefaultAccountAdapter):
    """Our wording for the errors learners meet, where they land after signing in, and
    the client address behind our trusted proxies (courses/clientaddress.py)."""

    # Ours, so that every language we serve has them (allauth has no Vietnamese or "pt").
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_taken": _("An account already uses this email address. Sign in instead."),
        "email_password_mismatch": _("The email address or the password is not correct."),
        "too_many_login_attempts": _(
            "Too many failed sign-in attempts. Wait a few minutes and try again."
        ),
        "rate_limited": _("Too many requests. Wait a few minutes and try again."),
        "invalid_or_expired_key": _("This link has expired or is not valid."),
    }

    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        profile = profile_for(request.user)
        if profile.preferred_language:
            url = translate_url(url, profile.preferred_language)
        if not profile.is_complete:
            edit = reverse("learner_profile_edit")
            if profile.preferred_language:
                edit = translate_url(edit, profile.preferred_language)
            return f"{edit}?{urlencode({'next': url, 'welcome': 1})}"
        return url

    def get_client_ip(self, request):
        # One rule for every rate limit: allauth's and the verify page's.
        return client_address(request)
