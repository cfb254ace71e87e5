"""Admin additions: item analysis of quizzes, certificates and their templates, dated facts
due for review, country notes and profiles, national partners, lessons' "to review" flags."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses import permissions
from courses.curriculum import facts as dated
from courses.curriculum import review
from courses.models.certificates import CertificateTemplate
from courses.models.countries import CountryNote, CountryProfile, NationalPartner
from courses.models.followup import FollowUpSurvey
from courses.models.pages import CoursePage
from courses.models.quizzes import QuizPage
from courses.models.versions import LegalUpdate
from courses.panels import ReviewFlagPanel
from courses.reports import quiz_item_analysis
from courses.views import background as background_views
from courses.views import certificate_admin, country_admin, mail_admin, reports
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


class FollowUpSurveyViewSet(SnippetViewSet):
    model = FollowUpSurvey
    icon = "help"
    menu_label = _("Follow-up surveys")
    list_display = ["name", "course", "days_after", "active", "locale"]


register_snippet(FollowUpSurveyViewSet)


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


# --- Outgoing email -------------------------------------------------------------------------


@hooks.register("register_admin_urls")
def mail_admin_urls():
    return [path("mail/", mail_admin.outgoing_list, name="outgoing_email_admin")]


class OutgoingEmailMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_view_outgoing_email(request.user)


@hooks.register("register_reports_menu_item")
def outgoing_email_menu_item():
    return OutgoingEmailMenuItem(
        _("Outgoing email"), reverse("outgoing_email_admin"), icon_name="mail", order=60
    )


# --- Country notes and profiles ----------------------------------------------------------


class CountryGuard:
    """Every view of one note or profile: refused when its country is not the user's to
    write for (a national partner's other countries; courses/permissions.py)."""

    def get_object(self, *args, **kwargs):
        found = super().get_object(*args, **kwargs)
        # The view's own action (delete, lock, publish…), checked for this very object:
        # Wagtail's generic views check most actions for the model only.
        action = getattr(self, "permission_required", None) or "change"
        policy = permissions.CountryContentPolicy(type(found))
        if not policy.user_has_permission_for_instance(self.request.user, action, found):
            raise PermissionDenied
        return found


# The views that open one object: each gets the guard.
GUARDED_VIEWS = (
    "edit_view_class",
    "delete_view_class",
    "usage_view_class",
    "history_view_class",
    "inspect_view_class",
    "copy_view_class",
    "revisions_view_class",
    "revisions_compare_view_class",
    "revisions_unschedule_view_class",
    "unpublish_view_class",
    "preview_on_edit_view_class",
    "lock_view_class",
    "unlock_view_class",
    "workflow_action_view_class",
    "collect_workflow_action_data_view_class",
    "confirm_workflow_cancellation_view_class",
    "workflow_preview_view_class",
    "workflow_history_view_class",
    "workflow_history_detail_view_class",
)


class CountryContentViewSet(SnippetViewSet):
    """Notes or profiles, listed and opened by country as the user may (permissions.py)."""

    def __init__(self, *args, **kwargs):
        for name in GUARDED_VIEWS:
            base = getattr(self, name)
            # Kept in Wagtail's module: the routes stay part of Wagtail's admin URL tree.
            guarded = type(base.__name__, (CountryGuard, base), {"__module__": base.__module__})
            setattr(self, name, guarded)
        super().__init__(*args, **kwargs)

    @property
    def permission_policy(self):
        return permissions.CountryContentPolicy(self.model)

    def get_queryset(self, request):
        return permissions.country_content_for(request.user, self.model)

    # The revert view is made from edit_view_class, so it is guarded too.


class CountryNoteViewSet(CountryContentViewSet):
    model = CountryNote
    icon = "site"
    menu_label = _("Country notes")
    list_display = ["__str__", "country", "locale"]
    list_filter = ["country", "locale", "live"]
    edit_handler = ObjectList(
        [
            ReviewFlagPanel(),
            FieldPanel("country"),
            FieldPanel("lesson"),
            FieldPanel("section"),
            FieldPanel("text"),
            FieldPanel("provisions"),
            FieldPanel("reviewer"),
            FieldPanel("reviewed_on"),
        ],
        base_form_class=country_admin.CountryNoteForm,
    )


class CountryProfileViewSet(CountryContentViewSet):
    model = CountryProfile
    icon = "globe"
    menu_label = _("Country profiles")
    list_display = ["__str__", "country", "locale"]
    edit_handler = ObjectList(
        [FieldPanel("country"), FieldPanel("summary")],
        base_form_class=country_admin.CountryContentForm,
    )


class SuperusersOnly:
    """A permission policy for what only administrators manage."""

    def __init__(self, model):
        self.model = model

    def user_has_permission(self, user, action):
        return bool(user and user.is_active and user.is_superuser)

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_permission(user, None)

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_permission(user, None):
            return self.model.objects.all()
        return self.model.objects.none()

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


class NationalPartnerViewSet(SnippetViewSet):
    model = NationalPartner
    icon = "group"
    menu_label = _("National partners")
    list_display = ["__str__", "country_names"]
    panels = [FieldPanel("user"), FieldPanel("countries")]

    @property
    def permission_policy(self):
        return SuperusersOnly(self.model)


register_snippet(CountryNoteViewSet)
register_snippet(CountryProfileViewSet)
register_snippet(NationalPartnerViewSet)


@hooks.register("register_permissions")
def country_content_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(
        content_type__app_label="courses", codename="edit_country_content"
    )


# --- "To review" flags ----------------------------------------------------------------------


@hooks.register("register_admin_urls")
def review_flag_urls():
    return [
        path("review-flags/", country_admin.review_flags, name="review_flags"),
        path(
            "review-flags/<id:pk>/reviewed/",
            country_admin.review_flag_done,
            name="review_flag_done",
        ),
    ]


class ReviewFlagsMenuItem(MenuItem):
    def is_shown(self, request):
        return permissions.can_review_flags(request.user)


@hooks.register("register_reports_menu_item")
def review_flags_menu_item():
    return ReviewFlagsMenuItem(
        _("To review after lesson changes"), reverse("review_flags"), icon_name="warning", order=50
    )


class ReviewFlagsPanel(Component):
    """The dashboard's "To review": notes and translations whose lesson changed since."""

    name = "review_flags"
    template_name = "courses/countries/review_flags_panel.html"
    order = 95

    def __init__(self, flags):
        self.flags = flags

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["flags"] = self.flags
        context["request"] = parent_context.get("request")
        return context


@hooks.register("construct_homepage_panels")
def review_flags_panel(request, panels):
    if not permissions.can_review_flags(request.user):
        return
    flags = list(
        permissions.review_flags_for(request.user)
        .filter(reviewed_at__isnull=True)
        .select_related("note", "note__lesson", "note__locale", "page", "page__locale")[:10]
    )
    if flags:
        panels.append(ReviewFlagsPanel(flags))
