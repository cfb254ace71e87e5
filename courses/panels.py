"""Admin edit-form panels of our own."""

from django.urls import reverse

from wagtail.admin.panels import Panel


class QuizResultsPanel(Panel):
    """A link from a quiz's edit form to its results by question, for those who may see
    them: in plain view, not only in the header's "…" menu."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/quizzes/results_panel.html"

        def is_shown(self):
            # Imported here: permissions reads the models this module's models import.
            from courses import permissions

            return bool(self.instance.pk) and permissions.can_view_quiz_results(
                self.request.user, self.instance
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["results_url"] = reverse("quiz_analysis", args=[self.instance.pk])
            return context


class ReviewFlagPanel(Panel):
    """On a country note's edit form: the lesson changed since the note was reviewed, what
    changed, and a button to mark it reviewed (courses/staleness.py)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "courses/countries/review_flag_panel.html"

        def is_shown(self):
            return bool(self.instance.pk) and bool(self.flags)

        @property
        def flags(self):
            if not hasattr(self, "_flags"):
                from courses import staleness

                self._flags = staleness.open_flags_for(self.instance)
            return self._flags

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["flags"] = self.flags
            context["next"] = self.request.get_full_path()
            return context
