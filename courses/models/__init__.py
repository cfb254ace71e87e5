"""Models, one module per concern, re-exported here for Django and Wagtail."""

from courses.models.learners import LearnerProfile
from courses.models.pages import CoursePage, HomePage, LessonPage, ModulePage

__all__ = ["CoursePage", "HomePage", "LearnerProfile", "LessonPage", "ModulePage"]
