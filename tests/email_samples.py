"""Sample contexts for every email template (site/templates/**/email/*.txt), keyed by the
template's path: tests/test_email_templates.py renders each template with each of its
contexts in every language, and fails for a template that has none here. A new email
template gets its entry here, with one context per branch worth rendering ({% if %}s).

Values are plain (dicts, strings, dates): no database rows, and every string value is
recognisable, so the test can tell text a learner wrote (kept as it is in every language)
from the template's own sentences (which must be translated)."""

from datetime import date

URL = "https://academy.example.org/en/sample/link/"
WORKSHOP_ONE_DAY = {
    "title": "Sample Workshop Title",
    "start_date": date(2026, 3, 2),
    "end_date": date(2026, 3, 2),
    "venue": "Sample Venue Hall",
    "online_link": "https://meet.example.org/sample-room",
}
WORKSHOP_TWO_DAYS = WORKSHOP_ONE_DAY | {"end_date": date(2026, 3, 3), "online_link": ""}
INVITATION = {
    "name": "Sample Person",
    "instructor": "Sample Instructor",
    "login_url": URL,
    "invitations_url": URL,
    "reset_url": URL,
    "password_url": URL,
    "link_days": 3,
}
CERTIFICATE = {"course_title": "Sample Course Title", "course_version": 1}
CHANGES = [
    {"version": 2, "effective_date": date(2026, 3, 1), "summary": "Sample change summary."},
    {"version": 3, "effective_date": date(2026, 5, 1), "summary": "Another sample summary."},
]

SESSION = {
    "workshop_title": "Sample Workshop Title",
    "session_title": "Sample Session Title",
    "date": "2 March 2026",
    "starts_at": "09:00",
    "ends_at": "12:30",
    "venue": "Sample Venue Hall",
    "online_link": "https://meet.example.org/sample-room",
    "workshop_url": URL,
}

SAMPLES = {
    # allauth's account emails, as the project words them (site/templates/account/email/).
    "account/email/base_message.txt": [{}],
    "account/email/account_already_exists_message.txt": [{"password_reset_url": URL}],
    "account/email/account_already_exists_subject.txt": [{}],
    "account/email/email_confirmation_message.txt": [
        {"activate_url": URL},
        {"code": "SAMPLE-CODE"},
    ],
    "account/email/email_confirmation_signup_message.txt": [{"activate_url": URL}],
    "account/email/email_confirmation_signup_subject.txt": [{}],
    "account/email/email_confirmation_subject.txt": [{}],
    "account/email/password_reset_key_message.txt": [{"password_reset_url": URL}],
    "account/email/password_reset_key_subject.txt": [{}],
    "account/email/unknown_account_message.txt": [{"signup_url": URL}],
    "account/email/unknown_account_subject.txt": [{}],
    # Legal updates (courses/versions.py).
    "courses/versions/email/update_message.txt": [
        {"certificate": CERTIFICATE, "changes": CHANGES, "version": 3, "update_url": URL}
    ],
    "courses/versions/email/update_subject.txt": [{"certificate": CERTIFICATE}],
    # Workshop invitations (courses/roster.py).
    "courses/workshops/email/invite_message.txt": [
        INVITATION | {"workshop": WORKSHOP_ONE_DAY},
        INVITATION | {"workshop": WORKSHOP_TWO_DAYS, "instructor": "", "link_days": 1},
    ],
    "courses/workshops/email/invite_subject.txt": [{"workshop": WORKSHOP_ONE_DAY}],
    "courses/workshops/email/invited_message.txt": [
        INVITATION | {"workshop": WORKSHOP_ONE_DAY},
        INVITATION | {"workshop": WORKSHOP_TWO_DAYS, "instructor": ""},
    ],
    "courses/workshops/email/invited_subject.txt": [{"workshop": WORKSHOP_ONE_DAY}],
    "courses/workshops/email/teach_message.txt": [INVITATION | {"workshop": WORKSHOP_TWO_DAYS}],
    "courses/workshops/email/teach_subject.txt": [{"workshop": WORKSHOP_ONE_DAY}],
    "courses/workshops/email/when_where.txt": [
        {"workshop": WORKSHOP_ONE_DAY},
        {"workshop": WORKSHOP_TWO_DAYS},
    ],
    # The unsubscribe line of optional mail (courses/emails.py).
    "courses/mail/email/unsubscribe_footer.txt": [
        {"category": "Sample Category Name", "unsubscribe_url": URL}
    ],
    # Follow-up surveys and reminders (courses/followup.py, courses/reminders.py).
    "courses/followup/email/followup_message.txt": [
        {"course_title": "Sample Course Title", "survey_url": URL, "link_days": 60},
        {"course_title": "Sample Course Title", "survey_url": URL, "link_days": 1},
    ],
    "courses/followup/email/followup_subject.txt": [{"course_title": "Sample Course Title"}],
    "courses/reminders/email/inactive_message.txt": [
        {"course_title": "Sample Course Title", "course_url": URL, "days": 14}
    ],
    "courses/reminders/email/inactive_subject.txt": [{"course_title": "Sample Course Title"}],
    "courses/reminders/email/session_message.txt": [
        SESSION,
        SESSION | {"session_title": "", "venue": "", "online_link": ""},
    ],
    "courses/reminders/email/session_subject.txt": [SESSION],
}
