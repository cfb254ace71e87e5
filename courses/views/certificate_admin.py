"""Certificates in the Wagtail admin: find one, read its history, revoke it with a reason,
issue a replacement for a revoked one (a reason again).

Certificates are never edited or deleted here: what was printed stays as printed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from courses import codes, permissions
from courses.certificates import CertificateError, replace, revoke
from courses.models.certificates import Certificate


def certificate_list(request):
    if not permissions.can_view_certificates(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    query = request.GET.get("q", "").strip()
    certificates = Certificate.objects.select_related("user").order_by("-created_at")
    if query:
        code = codes.normalise(query)
        certificates = certificates.filter(
            Q(code=code or "-") | Q(name__icontains=query) | Q(user__email__iexact=query)
        )
    context = {"certificates": certificates[:100], "query": query}
    return render(request, "courses/certificates/admin_list.html", context)


def certificate_detail(request, pk):
    if not permissions.can_view_certificates(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    certificate = get_object_or_404(
        Certificate.objects.select_related("user", "replaced_by", "replaces"), pk=pk
    )
    context = {
        "certificate": certificate,
        "grouped": codes.grouped(certificate.code),
        "events": certificate.events.select_related("by"),
        "can_revoke": permissions.can_revoke_certificates(request.user) and certificate.is_valid,
        "can_replace": permissions.can_revoke_certificates(request.user)
        and not certificate.is_valid
        and certificate.replaced_by_id is None,
    }
    return render(request, "courses/certificates/admin_detail.html", context)


@require_POST
def certificate_revoke(request, pk):
    if not permissions.can_revoke_certificates(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        revoke(certificate, request.user, request.POST.get("reason", ""))
    except CertificateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Certificate %(code)s revoked.") % {"code": codes.grouped(certificate.code)}
        )
    return redirect("certificate_admin_detail", pk=certificate.pk)


@require_POST
def certificate_replace(request, pk):
    if not permissions.can_revoke_certificates(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    certificate = get_object_or_404(Certificate, pk=pk)
    try:
        new = replace(certificate, request.user, request.POST.get("reason", ""))
    except CertificateError as error:
        messages.error(request, str(error))
        return redirect("certificate_admin_detail", pk=certificate.pk)
    messages.success(
        request,
        _("Certificate %(new)s issued to replace %(old)s.")
        % {"new": codes.grouped(new.code), "old": codes.grouped(certificate.code)},
    )
    return redirect("certificate_admin_detail", pk=new.pk)
