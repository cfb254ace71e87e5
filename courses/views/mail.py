"""Email, as its recipient controls it: the profile's "Emails" choices and "try again" for an
address that bounced; the one-click unsubscribe link of optional mail (no sign-in: a signed
token); and the mail provider's bounce and complaint webhook (courses/bounces.py)."""

from http import HTTPStatus

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from courses import bounces, emails
from courses.choices import OPTIONAL_EMAIL, EmailCategory
from courses.models.learners import LearnerProfile, profile_for


class EmailChoicesForm(forms.Form):
    """One checkbox per optional category: ticked means "send me these"."""

    receive = forms.MultipleChoiceField(
        label=gettext_lazy("Send me"),
        choices=[(category.value, category.label) for category in OPTIONAL_EMAIL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


def choices_form(profile):
    opted_out = set(profile.email_opt_outs or [])
    return EmailChoicesForm(
        initial={"receive": [c.value for c in OPTIONAL_EMAIL if c.value not in opted_out]}
    )


@login_required
@require_POST
def email_choices(request):
    form = EmailChoicesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("These email choices are not valid. Nothing has been changed."))
        return redirect("learner_profile")
    wanted = set(form.cleaned_data["receive"])
    with transaction.atomic():
        profile = LearnerProfile.objects.select_for_update().get(pk=profile_for(request.user).pk)
        profile.email_opt_outs = [c.value for c in OPTIONAL_EMAIL if c.value not in wanted]
        profile.save(update_fields=["email_opt_outs", "updated_at"])
    messages.success(request, _("Your email choices have been saved."))
    return redirect("learner_profile")


@login_required
@require_POST
def delivery_retry(request):
    """The owner of a suppressed address asks to have mail sent to it again."""
    if bounces.clear(request.user.email):
        messages.success(
            request, _("We will send email to your address again. Check it is spelled right.")
        )
    else:
        messages.info(request, _("Email to your address is not blocked. Nothing has changed."))
    return redirect("learner_profile")


def token_holder(token):
    """(user, category) a valid unsubscribe token names, or (None, None)."""
    read = emails.read_unsubscribe_token(token)
    if read is None:
        return None, None
    user_id, category = read
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    return (user, EmailCategory(category)) if user else (None, None)


# The token is the authentication (a signed user id and category, from the email itself):
# mail clients POST here with no cookie and no CSRF token (RFC 8058's one-click).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    user, category = token_holder(token)
    if user is None:
        return render(
            request,
            "courses/mail/unsubscribe.html",
            {"invalid": True},
            status=HTTPStatus.BAD_REQUEST,
        )
    if request.method == "POST":
        emails.opt_out(user, category)
        done = True
    else:
        done = not emails.may_send(user, category)
    context = {"category": category, "done": done, "token": token}
    return render(request, "courses/mail/unsubscribe.html", context)


@csrf_exempt
@require_POST
def provider_webhook(request):
    """Bounces and complaints from the mail provider, signed with MAIL_WEBHOOK_SECRET."""
    secret = settings.MAIL_WEBHOOK_SECRET
    if not secret:
        raise Http404
    if not bounces.signed(secret, request.body, request.headers.get(bounces.SIGNATURE_HEADER)):
        return JsonResponse({"error": "bad signature"}, status=HTTPStatus.FORBIDDEN)
    try:
        suppressed = bounces.from_webhook(request.body)
    except bounces.BadReport as error:
        return JsonResponse({"error": str(error)}, status=HTTPStatus.BAD_REQUEST)
    return JsonResponse({"recorded": True, "suppressed": suppressed is not None})
