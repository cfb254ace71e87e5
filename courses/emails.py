"""Emails sent by a background task: written in the request (its language, its links, its
user), handed to the worker as plain text fields, sent there. A worker that is down delays
an email; it does not lose it (courses/background.py)."""

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from courses import background
from courses.choices import EmailCategory


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


def enqueue_email(message, *, user=None, category=EmailCategory.ESSENTIAL):
    """Send ``message`` (an EmailMessage, without attachments) from the worker, unless it
    is optional mail (``category``) that ``user`` turned off. True when it was queued."""
    if message.attachments:
        raise ValueError("Emails sent by a task carry no attachments.")
    if user is not None and not may_send(user, category):
        return False
    background.enqueue(send_email, message=as_fields(message))
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


@background.background_task
def send_email(message):
    """The task: send one email (fields of ``as_fields``); an error raises and is retried."""
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
    email.send()
    return len(message["to"])
