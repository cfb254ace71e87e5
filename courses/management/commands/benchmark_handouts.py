"""manage.py benchmark_handouts: time the module handout PDF of every live module.

Renders each handout (``courses.handout.render_module_handout``) once to load the fonts,
then --runs times, and prints the median per module with its language, lessons and size.
Nothing is stored. The figures decide whether handouts need the task worker
(docs/performance.md, "Module handouts").
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.utils import translation

from courses.handout import render_module_handout
from courses.models import LessonPage, ModulePage


class Command(BaseCommand):
    help = "Time the module handout PDF of every live, public module (median of --runs)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--language", action="append", help="only these languages")

    def handle(self, *args, runs, language, **options):
        modules = ModulePage.objects.live().public().select_related("locale").order_by("path")
        if language:
            modules = modules.filter(locale__language_code__in=language)
        for module in modules:
            with translation.override(module.locale.language_code):
                render_module_handout(module)
                times = []
                for _run in range(max(1, runs)):
                    start = time.perf_counter()
                    pdf = render_module_handout(module)
                    times.append(time.perf_counter() - start)
            lessons = LessonPage.objects.child_of(module).live().count()
            self.stdout.write(
                f"{module.locale.language_code:7} {lessons:2} lessons "
                f"{statistics.median(times) * 1000:6.0f} ms {len(pdf) // 1024:4} KB  {module.title}"
            )
