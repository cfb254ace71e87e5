"""Events one concern announces and others subscribe to, so that rules never call upward.

``course_completed``: sent once per enrolment, by the progress rules (courses/progress.py),
inside the transaction that records the completion date, with ``enrolment`` and ``course``
(the CoursePage in the language the learner completed it in). Receivers must not do slow
work in the request: they enqueue a task (courses/background.py), which runs once the
transaction has committed. Subscribers: courses/certificates.py (the certificate of
completion).

``legal_update_published``: sent once per published legal update, by courses/versions.py
``publish``, inside the transaction that gives the course its new version, with
``course_key``, ``version`` (the course's new version) and ``by`` (the editor). Subscribers:
courses/versions.py (emails the holders of older certificates, from a task).
"""

from django.dispatch import Signal

course_completed = Signal()
legal_update_published = Signal()
