"""Events one concern announces and others subscribe to, so that rules never call upward.

``course_completed``: sent once per enrolment, by the progress rules (courses/progress.py),
inside the transaction that records the completion date, with ``enrolment`` and ``course``
(the CoursePage in the language the learner completed it in). Receivers must not do slow
work in the request: they enqueue a task (courses/background.py), which runs once the
transaction has committed. Subscribers: courses/certificates.py (the certificate of
completion).
"""

from django.dispatch import Signal

course_completed = Signal()
