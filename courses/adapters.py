"""allauth hooks: our wording, where people land after signing in (instructors on their
workshops, everyone else where their learning starts or resumes, through the profile form
while it lacks what certificates need), the site's name on emails, and the client address
its rate limits count."""

from urllib.parse import urlencode

from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.urls.base import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import get_login_redirect_url as login_destination

from courses import brand, emails, links, permissions, resume
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
        # Called only without a `next`: an explicit destination always wins.
        user = request.user
        language = profile_for(user).preferred_language or get_language()
        if permissions.runs_workshops(user):
            return translate_url(reverse("teach"), language)
        return resume.resume(request, user, language).url

    def get_signup_redirect_url(self, request):
        # Where a new account lands once its address is confirmed (in the browser that
        # signed up): where any sign-in without a `next` does.
        return self.get_login_redirect_url(request)

    def post_login(self, request, user, *, redirect_url, signup, **kwargs):
        """Every sign-in, whatever its destination (a `next`, ours, or after confirming the
        address), goes through the profile form while the profile lacks the name and
        country certificates need; the destination waits in the form's `next`."""
        target = login_destination(request, redirect_url, signup=signup)
        profile = profile_for(user)
        if not profile.is_complete:
            edit = reverse("learner_profile_edit")
            if profile.preferred_language:
                edit = translate_url(edit, profile.preferred_language)
            target = f"{edit}?{urlencode({'next': target, 'welcome': 1})}"
        return super().post_login(request, user, redirect_url=target, signup=signup, **kwargs)

    def send_mail(self, template_prefix, email, context):
        # allauth builds its links (confirm, reset, sign up) from the request's host; the
        # emails carry the public site's address instead, like everything else that leaves
        # the site (courses/links.py). Written here, in the request's language; sent by a
        # background task (courses/emails.py), so a slow mail server never holds a request.
        request = context.get("request") or self.request
        context = {key: links.on_public_site(value, request) for key, value in context.items()}
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
        } | context
        emails.enqueue_email(
            self.render_mail(template_prefix, email, context),
            kind=template_prefix.rsplit("/", 1)[-1],
            language=get_language(),
        )

    def format_email_subject(self, subject):
        return brand.email_subject(subject)

    def get_from_email(self):
        return brand.sender()

    def get_client_ip(self, request):
        # One rule for every rate limit: allauth's and the verify page's.
        return client_address(request)
