"""Models, one module per concern, re-exported here for Django and Wagtail."""

from courses.models.brand import SiteBranding
from courses.models.certificates import (
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
)
from courses.models.countries import (
    CountryNote,
    CountryProfile,
    NationalPartner,
    ReviewFlag,
)
from courses.models.curriculum import CurriculumFact, CurriculumRecord
from courses.models.downloads import PreparedFile, PreparedFileKind, PreparedFileStatus
from courses.models.exercises import ExerciseComment, ExerciseWork, SelfRating
from courses.models.followup import (
    FollowUpInvitation,
    FollowUpResponse,
    FollowUpSurvey,
    Nudge,
    NudgeKind,
)
from courses.models.information import InformationKind, InformationPage
from courses.models.learners import LearnerProfile
from courses.models.mail import (
    BounceKind,
    BounceReport,
    OutgoingEmail,
    OutgoingEmailStatus,
    SuppressedAddress,
    SuppressionReason,
)
from courses.models.pages import CoursePage, HomePage, LessonPage, ModulePage
from courses.models.progress import Enrolment, LessonCompletion, LessonVisit
from courses.models.quizzes import Attempt, AttemptAnswer, QuizPage
from courses.models.reports import ReportSummary
from courses.models.versions import LegalUpdate, UpdateNotice, UpdateReading
from courses.models.workshops import (
    Attendance,
    InvitationRole,
    InvitationStatus,
    ModuleRelease,
    Participant,
    Session,
    SurveyResponse,
    Workshop,
    WorkshopInvitation,
    WorkshopStatus,
)

__all__ = [
    "Attempt",
    "AttemptAnswer",
    "Attendance",
    "BounceKind",
    "BounceReport",
    "Certificate",
    "CertificateEvent",
    "CertificateKind",
    "CertificateStatus",
    "CertificateTemplate",
    "QuizPage",
    "ReportSummary",
    "ReviewFlag",
    "CountryNote",
    "CountryProfile",
    "CoursePage",
    "CurriculumFact",
    "CurriculumRecord",
    "Enrolment",
    "ExerciseComment",
    "ExerciseWork",
    "FollowUpInvitation",
    "FollowUpResponse",
    "FollowUpSurvey",
    "HomePage",
    "InformationKind",
    "InformationPage",
    "InvitationRole",
    "InvitationStatus",
    "LearnerProfile",
    "LegalUpdate",
    "LessonCompletion",
    "LessonPage",
    "LessonVisit",
    "ModulePage",
    "ModuleRelease",
    "NationalPartner",
    "Nudge",
    "NudgeKind",
    "OutgoingEmail",
    "OutgoingEmailStatus",
    "Participant",
    "PreparedFile",
    "PreparedFileKind",
    "PreparedFileStatus",
    "SelfRating",
    "SiteBranding",
    "Session",
    "SuppressedAddress",
    "SuppressionReason",
    "SurveyResponse",
    "UpdateNotice",
    "UpdateReading",
    "Workshop",
    "WorkshopInvitation",
    "WorkshopStatus",
]
