"""Programme reports for managers and donors: people trained, disaggregated, with learning
gain, and nobody singled out.

- `queries`: the grouped queries; every figure is aggregated in the database.
- `suppression`: which counts of a table and its totals to withhold (pure functions).
- `tables`: one report as tables for the screen, the exports and the charts.

The privacy rules (docs/reports.md): a count from 1 to REPORT_SMALL_CELL − 1 is shown as
"<N"; more counts are withheld ("×") until none of them can be worked out from the others or
from a total; a rate or mean is withheld ("—") with any count it comes from; and a report
whose filters leave fewer than REPORT_MIN_GROUP people shows only that fact.
"""

from courses.programme.queries import (
    BREAKDOWNS,
    NOT_STATED,
    PEOPLE_FIELDS,
    Filters,
    breakdown,
    cells,
    certificates_by_month,
    funnel,
    label_of,
    learning_gain,
    time_on_lessons,
    total,
    trained_by_month_and_sex,
    workshop_summary,
)
from courses.programme.suppression import small
from courses.programme.tables import Table, build_report

__all__ = [
    "BREAKDOWNS",
    "NOT_STATED",
    "PEOPLE_FIELDS",
    "Filters",
    "Table",
    "breakdown",
    "build_report",
    "cells",
    "certificates_by_month",
    "funnel",
    "label_of",
    "learning_gain",
    "small",
    "time_on_lessons",
    "total",
    "trained_by_month_and_sex",
    "workshop_summary",
]
