"""Workshop rosters: a CSV of people that an instructor invites to a workshop.

read_roster() checks a file and says what would happen, row by row, without touching
anything; apply_roster() does it in one transaction and emails each person once it commits.

A roster invites; it never adds. Everyone in it, with an account or not, gets an invitation
that they accept or decline themselves (courses/workshops.py); people without an account
get one, with a link to choose its password. The preview says "will be invited" whether an
address has an account or not, only verified addresses match an account, and a roster
never writes into anyone's profile: the other columns are checked, not stored.
"""

import csv
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django_countries import countries

from courses import brand, emails, links, names
from courses.choices import Audience, Sex
from courses.models.learners import LearnerProfile
from courses.models.workshops import (
    InvitationRole,
    InvitationStatus,
    Workshop,
    WorkshopInvitation,
)
from courses.workshops import invite

logger = logging.getLogger(__name__)

MAX_BYTES = 1_000_000

# Header names (lower case) → RosterRow field. Anything else in the header is ignored.
COLUMNS = {
    "name": "name",
    "email": "email",
    "organisation": "organisation",
    "organization": "organisation",
    "country": "country",
    "role": "role",
    "sex": "sex",
}
REQUIRED_COLUMNS = ("name", "email")

# Files that are plainly not text: PDF, ZIP (so .xlsx and .docx), PNG, JPEG, GIF.
BINARY_SIGNATURES = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EMAIL_TEMPLATES = "courses/workshops/email"
EMAIL_MAX_LENGTH = 254  # User.email; validate_email allows up to 320
NAME_MAX_LENGTH = LearnerProfile._meta.get_field("certificate_name").max_length
ORGANISATION_MAX_LENGTH = LearnerProfile._meta.get_field("organisation").max_length


class Outcome(models.TextChoices):
    NEW = "new", _("New account")
    EXISTING = "existing", _("Existing account")
    ALREADY = "already", _("Already in the workshop")
    INVITED = "invited", _("Already invited")
    ERROR = "error", _("Not imported")


ADDED = (Outcome.NEW, Outcome.EXISTING)


@dataclass
class RosterRow:
    """One person in the file, with what happens (or happened) to them."""

    line: int
    name: str = ""
    email: str = ""
    organisation: str = ""
    country: str = ""
    role: str = ""
    sex: str = ""
    outcome: str = Outcome.ERROR
    reason: str = ""
    user: object = None


@dataclass
class RosterPreview:
    """The rows of a file, or the one problem that stopped it from being read."""

    rows: list = field(default_factory=list)
    problem: str | None = None

    @property
    def counts(self):
        counted = Counter(row.outcome for row in self.rows)
        return {outcome.value: counted[outcome] for outcome in Outcome}

    @property
    def can_apply(self):
        return self.problem is None and any(row.outcome in ADDED for row in self.rows)


class RosterFileError(Exception):
    """The file as a whole cannot be used; the message is for the instructor."""


# Reading the file


def read_roster(data, workshop):
    """What importing data into workshop would do, row by row; changes nothing."""
    try:
        rows = rows_from(decode(data))
    except RosterFileError as error:
        return RosterPreview(problem=str(error))
    check_fields(rows, workshop.language)
    decide_outcomes(rows, workshop)
    return RosterPreview(rows=rows)


def decode(data):
    """The file's text, or a RosterFileError saying why it cannot be read."""
    if not data.strip():
        raise RosterFileError(gettext("The file is empty."))
    if len(data) > MAX_BYTES:
        raise too_large()
    if data.startswith(BINARY_SIGNATURES) or b"\x00" in data:
        raise not_csv()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RosterFileError(
            gettext(
                "Save the file as CSV UTF-8 and upload it again. In Excel: File, Save As, "
                "then choose “CSV UTF-8 (Comma delimited)”."
            )
        ) from None
    if CONTROL_CHARACTERS.search(text):
        raise not_csv()
    return text


def too_large():
    return RosterFileError(
        gettext("The file is larger than 1 MB. Split the list into several files.")
    )


def not_csv():
    return RosterFileError(
        gettext(
            "This is not a CSV file. Save the list from your spreadsheet as CSV UTF-8, "
            "with a first row that names the columns: name, email, and optionally "
            "organisation, country, role, sex."
        )
    )


def delimiter_of(text):
    """Semicolons when the header has more of them than commas (Excel in many locales)."""
    header = text.splitlines()[0]
    return ";" if header.count(";") > header.count(",") else ","


def rows_from(text):
    """A RosterRow per non-blank record, with the cells as written (stripped)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    try:
        columns = column_positions(next(reader, []))
        rows = []
        previous_line = reader.line_num
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(row_from(cells, columns, line=previous_line + 1))
            previous_line = reader.line_num
    except csv.Error:
        raise not_csv() from None
    if not rows:
        raise RosterFileError(
            gettext("The file has a header row but nobody in it. Add one person per row.")
        )
    return rows


def column_positions(header):
    """RosterRow field → index in a record, from the header row."""
    positions = {}
    for index, title in enumerate(header):
        name = COLUMNS.get(title.strip().lower())
        if name and name not in positions:
            positions[name] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in positions]
    if missing:
        raise RosterFileError(
            gettext(
                "The first row must name the columns, and the file needs a column called "
                "“name” and one called “email”. Missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
        )
    return positions


def row_from(cells, columns, line):
    values = {
        name: cells[index].strip() if index < len(cells) else "" for name, index in columns.items()
    }
    return RosterRow(line=line, **values)


# Checking each row


def check_fields(rows, language):
    """Mark rows whose own cells are wrong as errors; turn countries, roles and sexes
    into the codes stored on profiles."""
    first_line_of = {}
    for row in rows:
        problems = [
            *name_problems(row),
            *length_problems(row),
            *email_problems(row, first_line_of),
            *country_problems(row, language),
            *choice_problems(row, "role", Audience, language),
            *choice_problems(row, "sex", Sex, language),
        ]
        if problems:
            row.outcome = Outcome.ERROR
            row.reason = " ".join(problems)


def name_problems(row):
    """Missing, or refused by the certificate name rule; a good name is stored as it prints."""
    if not row.name:
        yield gettext("The name is missing.")
        return
    try:
        row.name = names.clean_certificate_name(row.name)
    except ValidationError as error:
        yield from error.messages


def length_problems(row):
    """Longer than the profile holds: refused here rather than by the database half-way."""
    if len(row.name) > NAME_MAX_LENGTH:
        yield gettext("The name is longer than %(limit)d characters.") % {"limit": NAME_MAX_LENGTH}
    if len(row.organisation) > ORGANISATION_MAX_LENGTH:
        yield gettext("The organisation is longer than %(limit)d characters.") % {
            "limit": ORGANISATION_MAX_LENGTH
        }


def email_problems(row, first_line_of):
    """Missing, invalid, or the same address as an earlier row (in any case)."""
    if not row.email:
        yield gettext("The email address is missing.")
        return
    try:
        validate_email(row.email)
        if len(row.email) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
    except ValidationError:
        yield gettext("“%(email)s” is not a valid email address.") % {"email": row.email}
        return
    row.email = row.email.lower()
    if row.email in first_line_of:
        yield gettext("Same email as line %(line)s.") % {"line": first_line_of[row.email]}
    else:
        first_line_of[row.email] = row.line


def country_problems(row, language):
    if not row.country:
        return
    code = country_code(row.country, language)
    if code:
        row.country = code
    else:
        yield gettext(
            "Unknown country “%(country)s”. Use its two-letter code (such as KE) "
            "or its name in English."
        ) % {"country": row.country}


def country_code(value, language):
    """The ISO 3166 alpha-2 code for a code in any case, or a name in English or in
    the workshop's language; "" when it is not a country."""
    if len(value) == 2:
        return countries.alpha2(value)
    return countries.by_name(value) or countries.by_name(value, language=language)


def choice_problems(row, column, choices, language):
    value = getattr(row, column)
    if not value:
        return
    code = choice_value(value, choices, language)
    if code:
        setattr(row, column, code)
    else:
        message = {
            "role": gettext("Unknown role “%(value)s”. Use one of: %(choices)s."),
            "sex": gettext("Unknown sex “%(value)s”. Use one of: %(choices)s."),
        }[column]
        yield message % {"value": value, "choices": ", ".join(choices.values)}


def choice_value(value, choices, language):
    """The stored value for a choice given as its value or its label (in English or in
    the workshop's language), in any case; "" when there is none."""
    wanted = value.casefold()
    for language_code in ("en", language):
        with translation.override(language_code):
            for code, label in choices.choices:
                if wanted in (code.casefold(), str(label).casefold()):
                    return code
    return ""


# Deciding what happens to each person


def decide_outcomes(rows, workshop):
    """new / existing / already / invited for rows without errors, within the places left.

    new and existing are both shown as "will be invited": the preview does not tell the
    instructor who has an account."""
    valid = [row for row in rows if not row.reason]
    accounts = accounts_by_email([row.email for row in valid])
    participants = set(workshop.participants.values_list("user_id", flat=True))
    invitations = dict(
        WorkshopInvitation.objects.filter(
            workshop=workshop, role=InvitationRole.PARTICIPANT
        ).values_list("user_id", "status")
    )
    pending = sum(status == InvitationStatus.PENDING for status in invitations.values())
    # Pending invitations hold their places until they are answered.
    places_left = workshop.capacity - len(participants) - pending
    for row in valid:
        row.user = accounts.get(row.email)
        if row.user and row.user.pk in participants:
            row.outcome = Outcome.ALREADY
        elif row.user and row.user.pk in invitations:
            row.outcome = Outcome.INVITED
        elif places_left <= 0:
            row.user = None
            row.outcome = Outcome.ERROR
            row.reason = no_places(workshop.capacity)
        else:
            row.outcome = Outcome.EXISTING if row.user else Outcome.NEW
            places_left -= 1


def accounts_by_email(emails):
    """Lower-case email → User, matching only addresses their owner has verified (one
    query, whatever the number of rows): an unverified address proves nothing."""
    addresses = (
        EmailAddress.objects.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=emails, verified=True)
        .select_related("user")
    )
    return {address.email.lower(): address.user for address in addresses}


def no_places(capacity):
    return ngettext(
        "No places left: the workshop has %(capacity)d place. Raise the number of places "
        "or remove people from the file.",
        "No places left: the workshop has %(capacity)d places. Raise the number of places "
        "or remove people from the file.",
        capacity,
    ) % {"capacity": capacity}


# Applying


def apply_roster(data, workshop, by, language):
    """Invite the people in data to workshop for the instructor by: all of them or, on any
    error, nobody. Emails (in language) go out only once the import is committed."""
    with transaction.atomic():
        # Locking the workshop keeps two imports from both taking the last places.
        workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
        preview = read_roster(data, workshop)
        if not preview.can_apply:
            return preview
        added = [row for row in preview.rows if row.outcome in ADDED]
        for row in added:
            add_person(row, workshop, by)
        transaction.on_commit(partial(send_invitations, added, workshop, by, language), robust=True)
    return preview


def add_person(row, workshop, by):
    """An invitation for the row's person (and an account first when they have none)."""
    if row.outcome == Outcome.NEW:
        row.user = create_account(row)
    invite(workshop, row.user, InvitationRole.PARTICIPANT, by, name=row.name, email=row.email)


def create_account(row):
    """An account that can only be used after setting a password from the emailed link.
    The address counts as verified: the instructor vouches for it. Its profile starts
    empty: what goes in it is the learner's to say."""
    user = get_user_model().objects.create_user(
        username=unique_username(row.email), email=row.email, password=None
    )
    EmailAddress.objects.create(user=user, email=row.email, verified=True, primary=True)
    return user


def unique_username(email):
    """The email's local part, cut to what usernames allow, with a number when taken."""
    User = get_user_model()
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0])[:140] or "learner"
    username, number = base, 1
    while User.objects.filter(username__iexact=username).exists():
        number += 1
        username = f"{base}{number}"
    return username


# Emails


# Written here, in the instructor's language; sent by a background task (courses/emails.py),
# so a room of thirty does not wait on the mail server and a failed send is retried.


def send_invitations(rows, workshop, by, language):
    """One email per added person; one that cannot be written is logged and does not stop
    the others."""
    for row in rows:
        try:
            send_invitation(row, workshop, by, language)
        except Exception:
            logger.exception("Roster email to user %s failed", row.user.pk)


def send_invitation(row, workshop, by, language):
    kind = "invite" if row.outcome == Outcome.NEW else "invited"
    with translation.override(language):
        context = invitation_context(row, workshop, by)
        subject = render_to_string(f"{EMAIL_TEMPLATES}/{kind}_subject.txt", context)
        body = render_to_string(f"{EMAIL_TEMPLATES}/{kind}_message.txt", context)
        subject, sender = brand.email_subject(subject), brand.sender()
    emails.enqueue_email(
        EmailMessage(subject, body, sender, [row.email]), kind=f"workshop_{kind}", language=language
    )


def send_instructor_invitations(invitations, by, language):
    """One email per co-instructor invited; one that cannot be written is logged and does
    not stop the others."""
    for invitation in invitations:
        try:
            with translation.override(language):
                context = {
                    "workshop": invitation.workshop,
                    "instructor": instructor_name(by) or by.email,
                    "invitations_url": links.absolute(reverse("workshop_invitations")),
                }
                subject = render_to_string(f"{EMAIL_TEMPLATES}/teach_subject.txt", context)
                body = render_to_string(f"{EMAIL_TEMPLATES}/teach_message.txt", context)
                subject, sender = brand.email_subject(subject), brand.sender()
            emails.enqueue_email(
                EmailMessage(subject, body, sender, [invitation.email]),
                kind="workshop_teach",
                language=language,
            )
        except Exception:
            logger.exception("Instructor invitation to user %s failed", invitation.user_id)


def invitation_context(row, workshop, by):
    """What the email templates show; call inside the email's language."""
    user = row.user
    context = {
        "workshop": workshop,
        "name": row.name,
        "instructor": instructor_name(by),
        "login_url": links.absolute(reverse("account_login")),
        "invitations_url": links.absolute(reverse("workshop_invitations")),
        "reset_url": links.absolute(reverse("account_reset_password")),
        "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
    }
    if row.outcome == Outcome.NEW:
        key = default_token_generator.make_token(user)
        context["password_url"] = links.absolute(
            reverse(
                "account_reset_password_from_key",
                kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
            )
        )
    return context


def instructor_name(user):
    if user is None:
        return ""
    profile = LearnerProfile.objects.filter(user=user).first()
    return (profile and profile.certificate_name) or user.get_full_name()
