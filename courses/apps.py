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
        )
