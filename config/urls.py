"""URL map: admin outside the language prefix, everything learners see inside it."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.views import accounts as account_views
from courses.views import catalogue as catalogue_views
from courses.views import countries as country_views
from courses.views import downloads as download_views
from courses.views import exercises as exercise_views
from courses.views import followup as followup_views
from courses.views import glossary as glossary_views
from courses.views import handout, learners, page_admin, privacy, progress, quizzes, verify
from courses.views import health as health_views
from courses.views import mail as mail_views
from courses.views import offline as offline_views
from courses.views import search as search_views
from courses.views import trainers as trainer_views
from courses.views import transcript as transcript_views
from courses.views import versions as version_views
from courses.views import workshops as workshop_views

urlpatterns = [
    # Before Wagtail's admin URLs: its own login would bypass allauth's rate limits and MFA.
    path("admin/login/", account_views.admin_login_redirect, name="admin_login_redirect"),
    # Before Wagtail's own: its page edit view, all or nothing when SQLite is busy.
    path("admin/pages/<id:page_id>/edit/", page_admin.edit_page),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Language-neutral: what QR codes and verifiers' software use.
    path("c/<str:code>", verify.short_link, name="short_verify"),
    path("C/<str:code>", verify.short_link),
    path(".well-known/did.json", verify.did_document, name="did_document"),
    path("credentials/status/1", verify.status_list, name="status_list"),
    path("sw.js", offline_views.service_worker, name="service_worker"),
    # Load balancers' probes (courses/views/health.py).
    path("healthz", health_views.healthz, name="healthz"),
    path("readyz", health_views.readyz, name="readyz"),
    # The mail provider's bounces and complaints (docs/email.md).
    path("mail/events", mail_views.provider_webhook, name="mail_webhook"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("profile/", learners.profile, name="learner_profile"),
    path("profile/edit/", learners.profile_edit, name="learner_profile_edit"),
    path("profile/emails/", mail_views.email_choices, name="email_choices"),
    path("profile/emails/retry/", mail_views.delivery_retry, name="email_delivery_retry"),
    path("email/unsubscribe/<str:token>/", mail_views.unsubscribe, name="email_unsubscribe"),
    path("profile/my-data.json", privacy.download, name="privacy_download"),
    path("profile/delete/", privacy.delete_account, name="privacy_delete"),
    path("account-deleted/", privacy.deleted, name="privacy_deleted"),
    path("privacy/", privacy.policy, name="privacy"),
    path("glossary/", glossary_views.glossary, name="glossary"),
    path("countries/", country_views.country_index, name="country_index"),
    path("countries/choose/", country_views.choose_country, name="country_choose"),
    path("countries/<str:code>/", country_views.country_profile, name="country_profile"),
    path("search/", search_views.search_page, name="search"),
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path("learning/", progress.dashboard, name="dashboard"),
    path("learning/transcript/", transcript_views.transcript_page, name="transcript"),
    path("learning/updates/<uuid:course_key>/", version_views.update_page, name="course_update"),
    path(
        "learning/updates/<uuid:course_key>/read/<uuid:lesson_key>/",
        version_views.mark_read,
        name="course_update_read",
    ),
    path(
        "learning/updates/<uuid:course_key>/certificate/",
        version_views.request_certificate,
        name="course_update_certificate",
    ),
    path("learning/transcript.pdf", transcript_views.transcript_pdf, name="transcript_pdf"),
    path(
        "learning/transcript/credentials/<str:code>.json",
        transcript_views.wallet_credential,
        name="transcript_credential",
    ),
    # Prepared files: room certificate ZIPs, large report exports (courses/downloads.py).
    path("downloads/<uuid:pk>/", download_views.prepared_file, name="prepared_file"),
    path(
        "downloads/<uuid:pk>/file/",
        download_views.prepared_file_download,
        name="prepared_file_download",
    ),
    path(
        "downloads/<uuid:pk>/retry/", download_views.prepared_file_retry, name="prepared_file_retry"
    ),
    path("offline/", offline_views.offline, name="offline"),
    path("data-saver/", offline_views.toggle_data_saver, name="data_saver_toggle"),
    path("progress/courses/<id:course_id>/start/", progress.start_course, name="start_course"),
    path(
        "progress/lessons/<id:lesson_id>/complete/",
        progress.complete_lesson,
        name="complete_lesson",
    ),
    path(
        "progress/lessons/<id:lesson_id>/exercises/<str:exercise_id>/",
        exercise_views.save,
        name="exercise_save",
    ),
    path(
        "progress/lessons/<id:lesson_id>/exercises/<str:exercise_id>/assessment/",
        exercise_views.assessment,
        name="exercise_assess",
    ),
    path("quizzes/<id:quiz_id>/start/", quizzes.start, name="quiz_start"),
    path("quizzes/attempts/<id:attempt_id>/", quizzes.attempt_view, name="quiz_attempt"),
    path("quizzes/attempts/<id:attempt_id>/result/", quizzes.result, name="quiz_result"),
    path("modules/<id:module_id>/handout.pdf", handout.module_handout, name="module_handout"),
    path("teach/", workshop_views.teach, name="teach"),
    path("teach/new/", workshop_views.workshop_new, name="workshop_new"),
    path("teach/<id:pk>/", workshop_views.dashboard, name="workshop_dashboard"),
    path("teach/<id:pk>/edit/", workshop_views.workshop_edit, name="workshop_edit"),
    path("teach/<id:pk>/join-code/", workshop_views.join_code, name="workshop_join_code"),
    path("teach/<id:pk>/sessions/", workshop_views.session_add, name="workshop_session_add"),
    path(
        "teach/<id:pk>/sessions/<id:session_id>/",
        workshop_views.attendance,
        name="workshop_attendance",
    ),
    path("teach/<id:pk>/pacing/", workshop_views.pacing, name="workshop_pacing"),
    path("teach/<id:pk>/roster/", workshop_views.roster_import, name="workshop_roster"),
    path(
        "teach/<id:pk>/certificates/",
        workshop_views.certificates_for_room,
        name="workshop_certificates",
    ),
    path(
        "teach/<id:pk>/certificates.zip",
        workshop_views.certificates_zip,
        name="workshop_certificates_zip",
    ),
    path(
        "teach/<id:pk>/export.<str:fmt>",
        workshop_views.export,
        name="workshop_export",
    ),
    path("teach/<id:pk>/exercises/", exercise_views.workshop_list, name="workshop_exercises"),
    path(
        "teach/<id:pk>/exercises/<id:work_id>/",
        exercise_views.workshop_work,
        name="workshop_exercise",
    ),
    path(
        "teach/<id:pk>/exercises/<id:work_id>/comment/",
        exercise_views.workshop_comment,
        name="workshop_exercise_comment",
    ),
    path("join/", workshop_views.join, name="workshop_join"),
    path("invitations/", workshop_views.invitations, name="workshop_invitations"),
    path(
        "invitations/<id:pk>/",
        workshop_views.invitation_answer,
        name="workshop_invitation_answer",
    ),
    path("join/<str:code>/", workshop_views.join, name="workshop_join_code_link"),
    path("workshops/<id:pk>/", workshop_views.workshop_home, name="workshop_home"),
    path("workshops/<id:pk>/check-in/", workshop_views.check_in, name="workshop_check_in"),
    path("workshops/<id:pk>/evaluation/", workshop_views.evaluation, name="workshop_evaluation"),
    path("follow-up/<str:token>/", followup_views.survey, name="followup"),
    path("verify/", verify.verify_form, name="verify"),
    path("verify/<str:code>.json", verify.verify_json, name="verify_json"),
    path("verify/<str:code>/", verify.verify_code, name="verify_code"),
    path("verify/<str:code>/certificate.pdf", verify.verify_pdf, name="verify_pdf"),
    path("verify/<str:code>/credential.json", verify.verify_credential, name="verify_credential"),
    path("trainers/<str:code>/", trainer_views.trainer_profile, name="trainer_profile"),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)
