"""Admin additions: item analysis of quizzes for editors."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets.button import ListingButton

from courses.models.quizzes import QuizPage
from courses.reports import quiz_item_analysis


def quiz_analysis(request, page_id):
    quiz = get_object_or_404(QuizPage, pk=page_id)
    if not quiz.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    context = {"quiz": quiz, "analysis": quiz_item_analysis(quiz)}
    return render(request, "courses/quizzes/admin_analysis.html", context)


@hooks.register("register_admin_urls")
def quiz_admin_urls():
    return [path("quiz-analysis/<int:page_id>/", quiz_analysis, name="quiz_analysis")]


@hooks.register("register_page_header_buttons")
def quiz_analysis_button(page, user, view_name, next_url=None):
    if page.specific_class is QuizPage:
        yield ListingButton(
            _("Results by question"),
            reverse("quiz_analysis", args=[page.pk]),
            icon_name="table",
            priority=80,
        )
