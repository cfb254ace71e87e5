"""Models, one module per concern, re-exported here for Django and Wagtail."""

from courses.models.learners import LearnerProfile
from courses.models.pages import CoursePage, HomePage, LessonPage, ModulePage
from courses.models.progress import Enrolment, LessonCompletion

__all__ = [
    "CoursePage",
    "Enrolment",
    "HomePage",
    "LearnerProfile",
    "LessonCompletion",
    "LessonPage",
    "ModulePage",
]
