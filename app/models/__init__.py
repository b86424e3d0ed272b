"""SQLAlchemy models, one module per aggregate. Importing this package registers them all."""

from app.models.accounts import Invitation, Notification, PasswordReset, SecurityEvent, TaskFailure
from app.models.assessments import (
    Action,
    Answer,
    AnswerChange,
    Assessment,
    Assignment,
    AssignmentAssignee,
    EvidenceFile,
    ReviewNote,
)
from app.models.base import Base
from app.models.content import ContentState
from app.models.countries import Country
from app.models.editorial import ContentEdit, CountryUpdate
from app.models.library import LibraryEntry, QuestionnaireVersion
from app.models.search import SearchDocument, SearchIndexState
from app.models.throttles import ThrottleCounter
from app.models.users import User
from app.models.workshops import (
    EvaluationResponse,
    ExpectedAttendee,
    Strategy,
    Workshop,
    WorkshopAssessment,
    WorkshopGroup,
    WorkshopParticipant,
)

__all__ = [
    "Invitation",
    "Notification",
    "PasswordReset",
    "SecurityEvent",
    "TaskFailure",
    "Action",
    "Assignment",
    "AssignmentAssignee",
    "EvidenceFile",
    "ReviewNote",
    "Answer",
    "AnswerChange",
    "Assessment",
    "Base",
    "ContentState",
    "ContentEdit",
    "Country",
    "CountryUpdate",
    "LibraryEntry",
    "QuestionnaireVersion",
    "SearchDocument",
    "SearchIndexState",
    "User",
    "EvaluationResponse",
    "ExpectedAttendee",
    "ThrottleCounter",
    "Strategy",
    "Workshop",
    "WorkshopAssessment",
    "WorkshopGroup",
    "WorkshopParticipant",
]
