"""The follow-up survey page: reached from the email's link, without signing in
(courses/followup.py has the rules)."""

from http import HTTPStatus

from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from courses import emails, followup
from courses.choices import EmailCategory
from courses.forms import FollowUpForm
from courses.progress import course_in_language

TEMPLATE = "courses/followup/survey.html"


@never_cache
def survey(request, token):
    try:
        invitation = followup.invitation_for(token)
    except followup.LinkError as error:
        status = HTTPStatus.GONE if error.reason == "expired" else HTTPStatus.NOT_FOUND
        return render(request, TEMPLATE, {"state": error.reason}, status=status)
    language = get_language()
    course = course_in_language(invitation.course_key, language)
    context = {"course": course}
    if request.method == "POST" and request.POST.get("action") == "stop":
        emails.opt_out(invitation.user, EmailCategory.FOLLOWUP)
        return render(request, TEMPLATE, context | {"state": "stopped"})
    if invitation.used_at is not None:
        return render(request, TEMPLATE, context | {"state": "answered"})
    survey = followup.survey_in(invitation.survey_key, language)
    if survey is None:
        return render(request, TEMPLATE, context | {"state": "withdrawn"}, status=HTTPStatus.GONE)
    form = FollowUpForm(request.POST if request.method == "POST" else None, survey=survey)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        stored = followup.record_answer(
            invitation,
            applied=data["applied"],
            frequency=data["frequency"],
            obstacles=data["obstacles"],
            more=form.more_answers(),
        )
        state = "thanks" if stored else "answered"
        return render(request, TEMPLATE, context | {"state": state})
    status = HTTPStatus.BAD_REQUEST if form.is_bound else HTTPStatus.OK
    context |= {"state": "open", "survey": survey, "form": form}
    return render(request, TEMPLATE, context, status=status)
