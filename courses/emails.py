"""Emails sent by a background task: written in the request (its language, its links, its
user), handed to the worker as plain text fields, sent there. A worker that is down delays
an email; it does not lose it (courses/background.py).

Every message gets a record (``OutgoingEmail``), written in the same transaction as its task
and updated by the task: sent, failed after the last attempt, or not sent because the
recipient turned that kind of mail off or their address bounces (courses/bounces.py, checked
when queued and again when sent). Optional mail (any category but essential) carries a line
in the recipient's language with a one-click unsubscribe link, and the List-Unsubscribe
headers of RFC 8058, so that mail clients offer the same.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from courses import background, bounces, links
from courses.choices import OPTIONAL_EMAIL, EmailCategory
from courses.models.mail import OutgoingEmail, OutgoingEmailStatus

UNSUBSCRIBE_SALT = "courses.emails.unsubscribe"
FOOTER_TEMPLATE = "courses/mail/email/unsubscribe_footer.txt"
ERROR_LENGTH = 500


def may_send(user, category):
    """Whether ``user`` still wants email of ``category``: essential mail always goes;
    optional categories stop when the person turned them off."""
    if category == EmailCategory.ESSENTIAL:
        return True
    profile = getattr(user, "learner_profile", None)
    return profile is None or category not in (profile.email_opt_outs or [])


def opt_out(user, category):
    """Turn off optional mail of ``category`` for ``user`` (kept on their profile); essential
    mail cannot be turned off. True when it was on until now."""
    from courses.models.learners import LearnerProfile

    if category == EmailCategory.ESSENTIAL or category not in EmailCategory.values:
        raise ValueError(f"{category!r} cannot be turned off.")
    with transaction.atomic():
        profile, _created = LearnerProfile.objects.select_for_update().get_or_create(user=user)
        turned_off = list(profile.email_opt_outs or [])
        if category in turned_off:
            return False
        profile.email_opt_outs = [*turned_off, str(category)]
        profile.save(update_fields=["email_opt_outs", "updated_at"])
    return True


def recipient_language(user, *fallbacks):
    """The language mail to ``user`` is written in: their profile's preferred language, else
    the first known of ``fallbacks`` (the language of their course, certificate or
    workshop), else the site's."""
    from courses.models.learners import LearnerProfile

    preferred = (
        LearnerProfile.objects.filter(user=user)
        .values_list("preferred_language", flat=True)
        .first()
        if user is not None
        else None
    )
    known = dict(settings.LANGUAGES)
    for language in (preferred, *fallbacks):
        if language in known:
            return language
    return settings.LANGUAGE_CODE


def enqueue_email(message, *, user=None, category=EmailCategory.ESSENTIAL, kind="", language=None):
    """Send ``message`` (an EmailMessage, without attachments) from the worker, unless it
    is optional mail (``category``) that ``user`` turned off or every recipient's address is
    suppressed. True when it was queued. ``kind`` names the message for the staff listing;
    ``language`` is the recipient's (default: their preferred one), for the unsubscribe line
    that optional mail, which must name its ``user``, carries."""
    if message.attachments:
        raise ValueError("Emails sent by a task carry no attachments.")
    optional = category != EmailCategory.ESSENTIAL
    if optional and user is None:
        raise ValueError("Optional email needs its recipient's user, for the unsubscribe link.")
    language = language or recipient_language(user)
    fields = as_fields(message)
    with transaction.atomic():
        record = OutgoingEmail.objects.create(
            user=user,
            recipient=", ".join(fields["to"])[:1000],
            category=category,
            kind=kind[:100],
            language=language,
        )
        if user is not None and not may_send(user, category):
            finish(record, OutgoingEmailStatus.OPTED_OUT)
            return False
        if not without_suppressed(fields):
            finish(record, OutgoingEmailStatus.SUPPRESSED)
            return False
        if optional:
            add_unsubscribe(fields, user, category, language)
        background.enqueue(send_email, message=fields, record=record.pk)
    return True


def as_fields(message):
    return {
        "subject": str(message.subject),
        "body": str(message.body),
        "from_email": message.from_email,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "headers": {str(name): str(value) for name, value in message.extra_headers.items()},
        "content_subtype": message.content_subtype,
        "alternatives": [
            [str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])
        ],
    }


def without_suppressed(fields):
    """Drop suppressed addresses from the recipients (in place); whether any "to" is left."""
    blocked = bounces.suppressed(fields["to"] + fields["cc"] + fields["bcc"])
    if blocked:
        for key in ("to", "cc", "bcc"):
            fields[key] = [a for a in fields[key] if bounces.normalised(a) not in blocked]
    return bool(fields["to"])


def finish(record, status, **changes):
    for name, value in {"status": status, "updated_at": timezone.now(), **changes}.items():
        setattr(record, name, value)
    record.save()


# --- Unsubscribing -----------------------------------------------------------------------------


def unsubscribe_token(user, category):
    """A signed token that turns ``category`` off for ``user``, without signing in. It does
    not expire: an old email's link still works."""
    return signing.dumps([user.pk, str(category)], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user id, category) from a token made by ``unsubscribe_token``; None if it is forged,
    damaged, or names no optional category."""
    try:
        user_id, category = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or category not in OPTIONAL_EMAIL:
        return None
    return user_id, category


def unsubscribe_url(user, category, language):
    with translation.override(language):
        return links.absolute(
            reverse("email_unsubscribe", args=[unsubscribe_token(user, category)])
        )


def add_unsubscribe(fields, user, category, language):
    """The footer line, in the recipient's language, and RFC 8058's one-click headers."""
    url = unsubscribe_url(user, category, language)
    with translation.override(language):
        footer = render_to_string(
            FOOTER_TEMPLATE,
            {"category": EmailCategory(category).label, "unsubscribe_url": url},
        )
    fields["body"] = f"{fields['body'].rstrip()}\n\n-- \n{footer.strip()}\n"
    fields["headers"]["List-Unsubscribe"] = f"<{url}>"
    fields["headers"]["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


# --- The task ---------------------------------------------------------------------------------


@background.background_task
def send_email(message, record=None):
    """The task: send one email (fields of ``as_fields``) and update its record; an error
    raises and is retried, and the record says "failed" once the last attempt has failed.
    Mail to an address suppressed since it was queued, or of a kind turned off since, is not
    sent. (A task queued before records existed has no ``record``.)"""
    row = OutgoingEmail.objects.select_related("user").filter(pk=record).first() if record else None
    if row is not None and row.status != OutgoingEmailStatus.QUEUED:
        return 0  # already sent or given up: a task run twice sends once
    if not without_suppressed(message):
        if row is not None:
            finish(row, OutgoingEmailStatus.SUPPRESSED)
        return 0
    if row is not None and row.user is not None and not may_send(row.user, row.category):
        finish(row, OutgoingEmailStatus.OPTED_OUT)
        return 0
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        cc=message["cc"],
        bcc=message["bcc"],
        reply_to=message["reply_to"],
        headers=message["headers"],
        alternatives=[tuple(pair) for pair in message["alternatives"]],
    )
    email.content_subtype = message["content_subtype"]
    try:
        email.send()
    except Exception as error:
        if row is not None:
            attempts = row.attempts + 1
            last = attempts >= settings.TASK_MAX_ATTEMPTS
            finish(
                row,
                OutgoingEmailStatus.FAILED if last else OutgoingEmailStatus.QUEUED,
                attempts=attempts,
                last_error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH],
            )
        raise
    if row is not None:
        finish(row, OutgoingEmailStatus.SENT, attempts=row.attempts + 1, sent_at=timezone.now())
    return len(message["to"])
