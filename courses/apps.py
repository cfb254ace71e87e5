from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Courses, learners and everything they do on the platform."""

    name = "courses"
    verbose_name = _("Courses")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from courses import converters

        converters.register()  # <id:…> in config/urls.py and the admin URLs of wagtail_hooks
        from courses import (
            addresses,  # noqa: F401  (connects its signal receiver)
            checks,  # noqa: F401  (registers the system checks)
            purging,
        )

        purging.connect()  # pages and revocations purge the reverse proxy's cache
        from courses import pagetree

        pagetree.connect()  # a changed page tree renews the cached facts about it
        from courses import handout_store

        handout_store.connect()  # a published module or lesson has its handout made ahead
        from courses import staleness

        staleness.connect()  # a lesson's changed body flags its country notes and translations
        from courses import certificates, events

        # Subscribers to the events of courses/events.py.
        events.course_completed.connect(
            certificates.on_course_completed, dispatch_uid="certificate-of-completion"
        )
        from courses import versions

        events.legal_update_published.connect(
            versions.on_legal_update_published, dispatch_uid="legal-update-notices"
        )
        from django.db.models.signals import post_save

        from courses.models.certificates import Certificate
        from courses.programme import summary

        # The programme report's stored figures: renewed after completions, certificates
        # issued and revocations (courses/programme/summary.py).
        events.course_completed.connect(
            summary.on_figures_changed, dispatch_uid="programme-summary-completion"
        )
        post_save.connect(
            summary.on_figures_changed, sender=Certificate, dispatch_uid="programme-summary"
        )
