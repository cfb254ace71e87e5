"""A certified trainer's public profile: only when they turned it on themselves."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from courses import cascade, codes, permissions


def trainer_profile(request, code):
    """Found by the code of one of the trainer's valid trainer certificates. Anything else
    (an unknown code, another kind, a revoked certificate, a profile not made public)
    answers the same 404."""
    certificate = (
        cascade.trainer_certificates()
        .filter(code=codes.normalise(code) or "-")
        .select_related("user", "user__learner_profile")
        .first()
    )
    if certificate is None or not permissions.trainer_profile_is_public(certificate.user):
        raise Http404
    trainer = certificate.user
    held = list(cascade.trainer_certificates().filter(user=trainer).order_by("issued_on", "pk"))
    context = {
        "name": held[0].name,
        "certificates": [(item, codes.grouped(item.code)) for item in held],
        "workshops_led": cascade.finished_workshops_led(trainer, timezone.localdate()),
    }
    return render(request, "courses/trainers/profile.html", context)
