"""Certificates as Open Badges 3.0 ``OpenBadgeCredential``s (VC Data Model 2.0), unsigned.

- ``id`` is the certificate's verify URL: it carries the printed code and, dereferenced, shows
  the certificate's current state.
- The learner is named, as printed, by an OB 3.0 ``IdentityObject`` (``identityType`` "name",
  ``hashed`` false): learners have no DID, and the name is what a reader compares.
- The achievement's ``version`` is the course version the certificate was earned under
  (courses/versions.py); credentials signed before versions existed have none.
- The score and the hours are ``Result``s, each described by a ``ResultDescription`` of the
  achievement (OB 3.0 has no hours property; the result type is the extension ``ext:Hours``).
Every term used is defined by the pinned VC 2.0 and OB 3.0.3 contexts.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from courses.credentials.documents import CREDENTIALS_V2, OPEN_BADGES_V3

CONTEXT = [CREDENTIALS_V2, OPEN_BADGES_V3]
CREDENTIAL_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]

# OB 3.0 AchievementType values for each kind of certificate.
ACHIEVEMENT_TYPES = {
    "completion": "CertificateOfCompletion",
    "attendance": "Certificate",
    "participation": "Certificate",
    "trainer": "Certification",
}
SCORE_DESCRIPTION = {
    "name": "Final test score (%)",
    "resultType": "Percent",
    "valueMin": "0",
    "valueMax": "100",
}
HOURS_DESCRIPTION = {"name": "Hours of learning", "resultType": "ext:Hours"}


@dataclass(frozen=True)
class CertificateClaim:
    """What a certificate states, as printed on it (texts in the certificate's language)."""

    code: str
    verify_url: str
    name: str
    course_title: str
    course_url: str
    kind: str
    kind_label: str
    language: str
    issued_on: date
    hours: Decimal | None
    score: Decimal | None
    issuer_name: str
    issuer_url: str
    achievement_id: str
    description: str
    issuer_email: str = ""
    # The workshop's first and last day, for attendance and participation certificates.
    activity_start: date | None = None
    activity_end: date | None = None
    # The course version the certificate was earned under (OB 3.0 Achievement ``version``);
    # None for credentials that state none.
    course_version: int | None = None

    @property
    def title(self) -> str:
        """The certificate's name: its kind, then the course."""
        return f"{self.kind_label}: {self.course_title}"


def build_credential(claim: CertificateClaim, issuer_did: str, status_entry: dict) -> dict:
    """The unsigned OpenBadgeCredential for ``claim``, with its revocation status entry."""
    return {
        "@context": list(CONTEXT),
        "id": claim.verify_url,
        "type": list(CREDENTIAL_TYPE),
        "issuer": _issuer(claim, issuer_did),
        "validFrom": valid_from(claim.issued_on),
        "name": claim.title,
        "credentialSubject": _subject(claim),
        "credentialStatus": status_entry,
    }


def valid_from(issued_on: date) -> str:
    """The issue date as an XML Schema dateTime: midnight UTC for a plain date.

    Prefer an aware datetime: a local date east of UTC would otherwise lie a few hours in the
    future, and verifiers refuse a credential before its ``validFrom``.
    """
    if isinstance(issued_on, datetime):
        return issued_on.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{issued_on.isoformat()}T00:00:00Z"


def _issuer(claim, issuer_did):
    issuer = {
        "id": issuer_did,
        "type": ["Profile"],
        "name": claim.issuer_name,
        "url": claim.issuer_url,
    }
    if claim.issuer_email:
        issuer["email"] = claim.issuer_email
    return issuer


def _subject(claim):
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": claim.name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": _achievement(claim),
    }
    if claim.activity_start:
        subject["activityStartDate"] = claim.activity_start.isoformat()
    if claim.activity_end:
        subject["activityEndDate"] = claim.activity_end.isoformat()
    results = [
        {"type": ["Result"], "resultDescription": description["id"], "value": _number(value)}
        for description, value in _measures(claim)
    ]
    if results:
        subject["result"] = results
    return subject


def _achievement(claim):
    achievement = {
        "id": claim.achievement_id,
        "type": ["Achievement"],
        "achievementType": _achievement_type(claim.kind),
        "name": claim.title,
        "description": claim.description,
        "criteria": {"id": claim.course_url, "narrative": claim.description},
        "inLanguage": claim.language,
    }
    if claim.course_version is not None:
        achievement["version"] = str(claim.course_version)
    descriptions = [description for description, _value in _measures(claim)]
    if descriptions:
        achievement["resultDescription"] = descriptions
    return achievement


def _achievement_type(kind):
    if kind not in ACHIEVEMENT_TYPES:
        raise ValueError(f"Unknown certificate kind {kind!r}.")
    return ACHIEVEMENT_TYPES[kind]


def _measures(claim):
    """(ResultDescription, value) for the score and the hours the certificate states."""
    measures = []
    for fragment, value, described in (
        ("score", claim.score, SCORE_DESCRIPTION),
        ("hours", claim.hours, HOURS_DESCRIPTION),
    ):
        if value is not None:
            description_id = f"{claim.achievement_id}#{fragment}"
            description = {"id": description_id, "type": ["ResultDescription"], **described}
            measures.append((description, value))
    return measures


def _number(value):
    """A decimal as plain text without trailing zeros: 85.50 → "85.5", 100 → "100"."""
    return f"{Decimal(value).normalize():f}"


def recipient_name(credential: dict) -> str | None:
    """The learner's name as printed, from the credential's name IdentityObject."""
    subject = credential.get("credentialSubject")
    identifiers = subject.get("identifier", []) if isinstance(subject, dict) else []
    for identity in identifiers if isinstance(identifiers, list) else [identifiers]:
        if isinstance(identity, dict) and identity.get("identityType") == "name":
            return identity.get("identityHash")
    return None
