"""The learner's privacy rights: the privacy notice, "Download my data", "Delete my account"."""

import json
from http import HTTPStatus

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from allauth.account.forms import ReauthenticateForm

from courses import codes, information, privacy
from courses.forms import OurLabelsMixin
from courses.models.certificates import Certificate, CertificateStatus
from courses.models.information import InformationKind


class DeleteAccountForm(OurLabelsMixin, ReauthenticateForm):
    """The password again (allauth checks it, with its sign-in rate limits), and the choice
    to revoke certificates, offered only to someone who holds a valid one."""

    labels = {"password": _("Your password")}
    field_order = ["revoke_certificates", "password"]

    revoke_certificates = forms.BooleanField(
        label=_(
            "Also revoke my certificates. Verifiers will see them as revoked at my request. "
            "This cannot be undone."
        ),
        required=False,
    )

    def __init__(self, *args, holds_certificates=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        if not holds_certificates:
            del self.fields["revoke_certificates"]

    def clean_password(self):
        try:
            return super().clean_password()
        except ValidationError as error:
            if error.code != "incorrect_password":
                raise  # e.g. too many attempts: the adapter's own message
            raise ValidationError(
                _("This is not your password. Nothing has been deleted."), code=error.code
            ) from error


def policy(request):
    """The privacy notice; where editors wrote a Privacy page in this language, that page,
    which shows the same notice below its own text."""
    page = information.page_url(request, InformationKind.PRIVACY)
    if page and page != request.path:
        return redirect(page)
    return render(request, "courses/privacy/policy.html")


@never_cache
@login_required
def download(request):
    """Everything we hold about the signed-in learner, as a JSON file."""
    data = privacy.export(request.user, get_language())
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"evidence-academy-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def delete_account(request):
    user = request.user
    allowed = privacy.may_delete_own_account(user)
    if request.method == "POST" and not allowed:
        raise PermissionDenied
    held = list(
        Certificate.objects.filter(user=user, status=CertificateStatus.VALID).order_by(
            "issued_on", "pk"
        )
    )
    for certificate in held:
        certificate.grouped = codes.grouped(certificate.code)
    form = DeleteAccountForm(
        request.POST if request.method == "POST" else None,
        user=user,
        holds_certificates=bool(held),
    )
    if request.method == "POST" and form.is_valid():
        erased = privacy.erase(user, form.cleaned_data.get("revoke_certificates", False))
        logout(request)
        if erased.kept:
            messages.info(request, kept_message(erased.kept))
        if erased.revoked:
            messages.info(request, revoked_message(erased.revoked))
        return redirect("privacy_deleted")
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    context = {"form": form if allowed else None, "certificates": held}
    return render(request, "courses/privacy/delete.html", context, status=status)


def kept_message(count):
    return ngettext(
        "%(count)s certificate stays verifiable with the name printed on it.",
        "%(count)s certificates stay verifiable with the name printed on them.",
        count,
    ) % {"count": count}


def revoked_message(count):
    return ngettext(
        "%(count)s certificate was revoked at your request.",
        "%(count)s certificates were revoked at your request.",
        count,
    ) % {"count": count}


def deleted(request):
    """Where a deleted learner lands, signed out."""
    return render(request, "courses/privacy/deleted.html")
