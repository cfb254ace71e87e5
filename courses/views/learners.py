"""The learner's own profile: view and edit; both lead on to learning."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.urls.base import translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from courses import bounces, cascade, links, resume
from courses.forms import LearnerProfileForm
from courses.models.learners import profile_for
from courses.views.mail import choices_form


@login_required
def profile(request):
    learner = profile_for(request.user)
    context = {
        "profile": learner,
        # The "Emails" section: optional kinds to keep or turn off, and whether mail to the
        # address is blocked because it bounced (with what to do about it).
        "email_form": choices_form(learner),
        "suppression": bounces.suppression_for(request.user.email),
        # Where learning starts or resumes: the page's primary action, so that saving the
        # profile never ends the journey here.
        "resume": resume.resume(request, request.user, get_language()),
        "trainer_certificate": cascade.trainer_certificates()
        .filter(user=request.user)
        .order_by("issued_on", "pk")
        .first(),
    }
    return render(request, "courses/learners/profile.html", context)


@login_required
def profile_edit(request):
    learner = profile_for(request.user)
    next_url = links.local_next(request, request.POST.get("next") or request.GET.get("next", ""))
    form = LearnerProfileForm(request.POST or None, instance=learner)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        target = next_url or reverse("learner_profile")
        language = learner.preferred_language
        if language and language != get_language():
            target = translate_url(target, language)
        return redirect(target)
    context = {
        "form": form,
        "next": next_url,
        "welcome": request.GET.get("welcome") == "1" and not learner.is_complete,
    }
    return render(request, "courses/learners/profile_edit.html", context)
