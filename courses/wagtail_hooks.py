"""Admin additions: item analysis of quizzes, certificates and their templates, dated facts
due for review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import permissions
from courses.curriculum import facts as dated
from courses.curriculum import review
from courses.models.certificates import CertificateTemplate
from courses.models.pages import CoursePage
from courses.models.quizzes import QuizPage
from courses.models.versions import LegalUpdate
from courses.reports import quiz_item_analysis
from courses.views import background as background_views
from courses.views import certificate_admin, reports
from courses.views import versions as version_views


def quiz_analysis(request, page_id):
    quiz = get_object_or_404(QuizPage, pk=page_id)
    if not permissions.can_view_quiz_results(request.user, quiz):
        raise PermissionDenied
    context = {"quiz": quiz, "analysis": quiz_item_analysis(quiz)}
    return render(request, "courses/quizzes/admin_analysis.html", context)


@hooks.register("register_admin_urls")
def quiz_admin_urls():
    return [
        path("quiz-analysis/<id:page_id>/", quiz_analysis, name="quiz_analysis"),
        path("programme-report/", reports.programme_report, name="programme_report"),
        path(
            "certificates/",
            certificate_admin.certificate_list,
            name="certificate_admin_list",
        ),
        path(
            "certificates/<id:pk>/",
            certificate_admin.certificate_detail,
            name="certificate_admin_detail",
        ),
        path(
            "certificates/<id:pk>/revoke/",
            certificate_admin.certificate_revoke,
            name="certificate_admin_revoke",
        ),
        path(
            "certificates/<id:pk>/replace/",
            certificate_admin.certificate_replace,
            name="certificate_admin_replace",
        ),
        path("legal-updates/<id:pk>/publish/", version_views.publish, name="legal_update_publish"),
    ]


class CertificatesMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_certificates(request.user)


@hooks.register("register_admin_menu_item")
def certificates_menu_item():
    return CertificatesMenuItem(
        _("Certificates"), reverse("certificate_admin_list"), icon_name="doc-full", order=300
    )


class ProgrammeReportMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_programme_reports(request.user)


@hooks.register("register_admin_menu_item")
def programme_report_menu_item():
    return ProgrammeReportMenuItem(
        _("Programme report"), reverse("programme_report"), icon_name="table", order=310
    )


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = _("Certificate templates")
    list_display = ["name", "course", "issuer_name", "locale"]


register_snippet(CertificateTemplateViewSet)


class LegalUpdateViewSet(SnippetViewSet):
    model = LegalUpdate
    icon = "history"
    menu_label = _("Legal updates")
    list_display = ["__str__", "course", "effective_date", "version", "published_at", "locale"]


register_snippet(LegalUpdateViewSet)


@hooks.register("before_delete_snippet")
def keep_published_legal_updates(request, instances):
    """A published legal update is a course version that certificates refer to: kept."""
    if any(isinstance(item, LegalUpdate) and item.published_at for item in instances):
        messages.error(request, _("A published legal update is part of the course's history."))
        return redirect("wagtailsnippets_courses_legalupdate:list")
    return None


@hooks.register("register_snippet_listing_buttons")
def legal_update_publish_button(snippet, user, next_url=None):
    """ "Publish" on a draft legal update, for whoever may publish its course."""
    if (
        isinstance(snippet, LegalUpdate)
        and not snippet.published_at
        and permissions.can_publish_legal_update(user, snippet)
    ):
        yield ListingButton(
            _("Publish"), reverse("legal_update_publish", args=[snippet.pk]), priority=5
        )


@hooks.register("after_create_page")
def keep_the_course_order(request, page):
    """A pre-test added to a course goes first and a post-test stays last (the explorer lists
    a course in tree order)."""
    parent = page.get_parent().specific
    if isinstance(parent, CoursePage):
        parent.place_tests()
        page.refresh_from_db(fields=["path"])


@hooks.register("register_page_header_buttons")
def quiz_analysis_button(page, user, view_name, next_url=None):
    if page.specific_class is QuizPage and permissions.can_view_quiz_results(user, page):
        yield ListingButton(
            _("Results by question"),
            reverse("quiz_analysis", args=[page.pk]),
            icon_name="table",
            priority=80,
        )


class FactsDuePanel(Component):
    """The dashboard's "Facts due for review": dated facts past their review_by date, and
    pages edited in the admin that still show an out-of-date one (courses/curriculum/review.py)."""

    name = "facts_due"
    template_name = "courses/curriculum/facts_panel.html"
    order = 90  # above Wagtail's own panels: stale legal facts are what an editor must see

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        today = dated.today()
        language = get_language()
        facts = list(review.overdue_facts(today))
        for fact in facts:
            fact.shown = fact.printed.get(language) or fact.printed.get("en") or fact.key
        context.update(facts=facts, pages=review.pages_with_out_of_date_facts(today))
        return context


@hooks.register("construct_homepage_panels")
def facts_due_panel(request, panels):
    if permissions.can_review_facts(request.user):
        panels.append(FactsDuePanel())


# --- Background work ------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def background_admin_urls():
    return [path("tasks/", background_views.task_list, name="background_tasks")]


class BackgroundTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_background_tasks(request.user)


@hooks.register("register_settings_menu_item")
def background_tasks_menu_item():
    return BackgroundTasksMenuItem(
        _("Background tasks"), reverse("background_tasks"), icon_name="cogs", order=900
    )
