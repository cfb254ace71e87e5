"""URL map: admin outside the language prefix, everything learners see inside it."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.views import accounts as account_views
from courses.views import learners, progress, quizzes, verify

urlpatterns = [
    # Before Wagtail's admin URLs: its own login would bypass allauth's rate limits and MFA.
    path("admin/login/", account_views.admin_login_redirect, name="admin_login_redirect"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Language-neutral: what QR codes and verifiers' software use.
    path("c/<str:code>", verify.short_link, name="short_verify"),
    path("C/<str:code>", verify.short_link),
    path(".well-known/did.json", verify.did_document, name="did_document"),
    path("credentials/status/1", verify.status_list, name="status_list"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("profile/", learners.profile, name="learner_profile"),
    path("profile/edit/", learners.profile_edit, name="learner_profile_edit"),
    path("learning/", progress.dashboard, name="dashboard"),
    path("progress/courses/<int:course_id>/start/", progress.start_course, name="start_course"),
    path(
        "progress/lessons/<int:lesson_id>/complete/",
        progress.complete_lesson,
        name="complete_lesson",
    ),
    path("quizzes/<int:quiz_id>/start/", quizzes.start, name="quiz_start"),
    path("quizzes/attempts/<int:attempt_id>/", quizzes.attempt_view, name="quiz_attempt"),
    path("quizzes/attempts/<int:attempt_id>/result/", quizzes.result, name="quiz_result"),
    path("verify/", verify.verify_form, name="verify"),
    path("verify/<str:code>.json", verify.verify_json, name="verify_json"),
    path("verify/<str:code>/", verify.verify_code, name="verify_code"),
    path("verify/<str:code>/certificate.pdf", verify.verify_pdf, name="verify_pdf"),
    path("verify/<str:code>/credential.json", verify.verify_credential, name="verify_credential"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
