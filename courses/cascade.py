"""Trainer cascades: trainers we certified train others, who may train others in turn.

The rule (docs/reports.md, "Cascade"):

- A **trainer** holds a valid trainer certificate (a train-the-trainer course's
  certificate, courses/models/certificates.py).
- A certificate is **earned in** workshop W when it names W, or names no workshop (made on
  completing the course) while its holder is a participant of W, W is of the certificate's
  course and W started on or before the day it was issued.
- A trainer's **generation**: 1 when one of their valid trainer certificates was earned in
  no workshop with a lead trainer (self-paced, or no lead trainer recorded); otherwise one
  more than the lowest generation among the lead trainers of the workshops they earned it
  in. A chain that only leads back to itself (possible only after revocations and
  replacements) cannot be followed to a first trainer: its trainers count as generation 1.
- The **reach** of a workshop: the distinct people who earned a valid certificate (any
  kind) in it. A trainer's reach is that of the workshops they led; a generation's, that
  of the workshops its trainers led, each person once per generation, credited to the
  trainer of the earliest such workshop (so that a generation's reach is the sum of its
  trainers').
"""

from collections import defaultdict, deque

from django.db.models import Exists, OuterRef, Q

from courses.models.certificates import (
    BY_COMPLETION,
    Certificate,
    CertificateKind,
    CertificateStatus,
)
from courses.models.workshops import Participant, Workshop, WorkshopStatus


def trainer_certificates():
    """Every valid trainer certificate."""
    return Certificate.objects.filter(kind=CertificateKind.TRAINER, status=CertificateStatus.VALID)


def holds_trainer_certificate(user):
    return trainer_certificates().filter(user=user).exists()


def earned_in(workshop_ref="workshop", user_ref="user", **more):
    """A valid certificate of the outer row's user, earned in the outer row's workshop."""
    return Exists(
        Certificate.objects.filter(
            user=OuterRef(user_ref),
            status=CertificateStatus.VALID,
            course_key=OuterRef(f"{workshop_ref}__course_key"),
            **more,
        ).filter(
            Q(workshop=OuterRef(workshop_ref))
            | Q(
                workshop__isnull=True,
                kind__in=BY_COMPLETION,
                issued_on__gte=OuterRef(f"{workshop_ref}__start_date"),
            )
        )
    )


def generations():
    """{trainer's user id: generation} for every trainer. Four queries."""
    trainers = set(trainer_certificates().values_list("user_id", flat=True))
    # Each trainer certificate that names its workshop, with that workshop's lead trainer.
    named = (
        trainer_certificates()
        .filter(workshop__isnull=False)
        .values_list("user_id", "workshop__lead_trainer_id")
    )
    # Those made on completion, matched to the led workshops their holder sat in.
    sat_in = (
        Participant.objects.filter(user_id__in=trainers, workshop__lead_trainer__isnull=False)
        .filter(earned_in(kind=CertificateKind.TRAINER, workshop__isnull=True))
        .values_list("user_id", "workshop__lead_trainer_id")
    )
    # Those made on completion outside any led workshop: self-paced.
    alone = (
        trainer_certificates()
        .filter(workshop__isnull=True)
        .exclude(
            Exists(
                Participant.objects.filter(
                    user=OuterRef("user"),
                    workshop__lead_trainer__isnull=False,
                    workshop__course_key=OuterRef("course_key"),
                    workshop__start_date__lte=OuterRef("issued_on"),
                )
            )
        )
        .values_list("user_id", flat=True)
    )
    parents = defaultdict(set)
    roots = set(alone)
    for user_id, lead in [*named, *sat_in]:
        if lead is None:
            roots.add(user_id)
        elif lead != user_id:
            parents[user_id].add(lead)
    # Certified only by people who are no longer trainers: the chain starts with them.
    roots |= {user_id for user_id in trainers if not parents[user_id] & trainers}
    return assign(trainers, parents, roots)


def assign(trainers, parents, roots):
    """Generations by breadth-first search from the roots; pure. Trainers reached from no
    root (a loop) start again as generation 1, so every trainer has one."""
    children = defaultdict(set)
    for child, leads in parents.items():
        for lead in leads:
            if lead in trainers:
                children[lead].add(child)
    found = {}
    pending = sorted(roots & trainers)
    while True:
        queue = deque(pending)
        for root in pending:
            found.setdefault(root, 1)
        while queue:
            lead = queue.popleft()
            for child in sorted(children[lead]):
                if child not in found:
                    found[child] = found[lead] + 1
                    queue.append(child)
        left = sorted(trainers - set(found))
        if not left:
            return found
        pending = left[:1]


def names(trainer_ids):
    """{user id: the name printed on their earliest valid trainer certificate}."""
    found = {}
    for user_id, name in (
        trainer_certificates()
        .filter(user_id__in=trainer_ids)
        .order_by("issued_on", "pk")
        .values_list("user_id", "name")
    ):
        found.setdefault(user_id, name)
    return found


def finished_workshops_led(user, today):
    """How many workshops this person led as lead trainer that are over (closed, or past
    their last day)."""
    return (
        Workshop.objects.filter(lead_trainer=user)
        .filter(Q(status=WorkshopStatus.CLOSED) | Q(end_date__lt=today))
        .count()
    )
