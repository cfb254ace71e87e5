"""The programme report's cascade section: people reached per generation of trainers, by
sex and country, and per trainer (courses/cascade.py has the rules).

Each generation is one cube over trainer × sex × country × role: a person reached in a
generation sits in exactly one cell of it (credited to one trainer), so the trainer, sex,
country and role margins are true sums and the suppression of courses/programme decides,
once for the whole cube, what to withhold. The sex, country and role filters only pick a
cut of that cube, as elsewhere in the report, so two filters cannot reveal a count that
one of them withholds. No table adds up over generations: one person may be reached in
several.
"""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from courses import cascade
from courses.models.workshops import Participant, Workshop
from courses.pilot import not_pilot
from courses.programme.queries import (
    BREAKDOWNS,
    NOT_STATED,
    key_of,
    label_of,
    profile_filter,
    workshops_in,
)
from courses.programme.suppression import ALL
from courses.programme.tables import Cube, Table, sexes_in


def led_workshops(filters, leads):
    """Workshops led by these trainers that the filters select: course, dates (workshops
    overlapping the period), language, workshop. Self-paced delivery has none."""
    workshops = Workshop.objects.filter(lead_trainer_id__in=leads)
    if filters.mode == "self":
        return workshops.none()
    return workshops_in(filters, workshops)


def reached(filters, workshops):
    """(person, lead trainer, workshop start, workshop id, sex, country, role) for everyone
    who earned a valid certificate in one of these workshops: one query."""
    population = filters.population()
    keys = {f"{name}_key": key_of(path) for name, path in BREAKDOWNS.items()}
    return (
        Participant.objects.filter(workshop__in=workshops)
        .filter(profile_filter(population) & not_pilot())
        .filter(cascade.earned_in())
        .annotate(**keys)
        .values_list(
            "user_id",
            "workshop__lead_trainer_id",
            "workshop__start_date",
            "workshop_id",
            *keys,
        )
        .order_by()
    )


def cubes(filters):
    """({generation: Cube}, {trainer: generation}, {trainer: workshops led})."""
    generation = cascade.generations()
    workshops = led_workshops(filters, generation)
    led = dict(
        workshops.order_by()
        .values_list("lead_trainer_id")
        .annotate(n=Count("id"))
        .values_list("lead_trainer_id", "n")
    )
    first = {}
    for user_id, lead, start, workshop_id, *cell in reached(filters, workshops):
        mark = (generation[lead], user_id)
        if mark not in first or (start, workshop_id) < first[mark][0]:
            # Keys are text throughout: the cube sorts them beside its ALL marker.
            first[mark] = ((start, workshop_id), (str(lead), *cell))
    cells = {}
    for (level, _user_id), (_when, key) in first.items():
        figures = cells.setdefault(level, {}).setdefault(key, {"n": 0})
        figures["n"] += 1
    levels = set(cells) | {generation[lead] for lead in led}
    return (
        {level: Cube(cells.get(level, {}), ["n"], filters.threshold) for level in levels},
        generation,
        led,
    )


def tables(filters, focus):
    """The cascade tables for the report, in the report's focus (sex, country, role)."""
    by_generation, generation, led = cubes(filters)
    whole = (ALL, *focus)
    levels = sorted(by_generation)
    rows = []
    for level in levels:
        leads = [lead for lead, n in led.items() if generation[lead] == level and n]
        rows.append(
            [
                level,
                len(leads),
                sum(led[lead] for lead in leads),
                by_generation[level].count(whole, "n"),
            ]
        )
    summary = Table(
        _("Cascade: people reached per generation of trainers"),
        [_("Generation"), _("Trainers who led workshops"), _("Workshops"), _("People reached")],
        rows,
        _(
            "Generation 1: trainers certified by us directly; generation 2: trainers certified "
            "in workshops led by generation 1; and so on. People reached: distinct people who "
            "earned a certificate in a workshop led by a trainer of that generation. One "
            "person may be reached in several generations, so generations are not added up."
        ),
    )
    sexes = sexes_in(focus)
    several = len(sexes) > 1
    by_sex = Table(
        _("Cascade: people reached per generation, by sex"),
        [
            _("Generation"),
            *[label_of("sex", sex) for sex in sexes],
            *([pgettext("report column", "Total")] if several else []),
        ],
        [
            [
                level,
                *[by_generation[level].count((ALL, sex, *focus[1:]), "n") for sex in sexes],
                *([by_generation[level].count(whole, "n")] if several else []),
            ]
            for level in levels
        ],
    )
    country_rows = []
    for level in levels:
        cube = by_generation[level]
        countries = sorted(
            {
                key[2]
                for key in cube.figures
                if key[0] == ALL
                and key[1] == focus[0]
                and key[3] == focus[2]
                and key[2] != ALL
                and focus[1] in (ALL, key[2])
            },
            key=lambda code: (code == NOT_STATED, str(label_of("country", code))),
        )
        for country in countries:
            country_rows.append(
                [
                    level,
                    label_of("country", country),
                    cube.count((ALL, focus[0], country, focus[2]), "n"),
                ]
            )
    by_country = Table(
        _("Cascade: people reached per generation, by country"),
        [_("Generation"), _("Country"), _("People reached")],
        country_rows,
    )
    who = cascade.names(led)
    trainer_rows = [
        [
            who.get(lead, ""),
            generation[lead],
            led[lead],
            by_generation[generation[lead]].count((str(lead), *focus), "n"),
        ]
        for lead in sorted(led, key=lambda lead: (generation[lead], who.get(lead, ""), lead))
    ]
    per_trainer = Table(
        _("Cascade: people reached per trainer"),
        [_("Trainer"), _("Generation"), _("Workshops led"), _("People reached")],
        trainer_rows,
        _(
            "A person reached by several trainers of one generation counts for the trainer "
            "of the earliest of those workshops."
        ),
    )
    return [summary, by_sex, by_country, per_trainer]
