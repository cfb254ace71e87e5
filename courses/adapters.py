"""allauth hooks: where people land after signing in."""

from urllib.parse import urlencode

from django.urls import reverse
from django.urls.base import translate_url

from allauth.account.adapter import DefaultAccountAdapter

from courses.models.learners import profile_for


class AccountAdapter(DefaultAccountAdapter):
    """Sends learners without a certificate name or country to their profile first."""

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
