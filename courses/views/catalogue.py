"""The catalogue page: every visible course as a card, filtered by audience, level and
language through plain links (courses/catalogue.py decides what is shown)."""

from dataclasses import dataclass

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from courses.catalogue import Catalogue, Filters, language_names
from courses.choices import Audience, Level

GROUP_LABELS = {
    "audience": (_("Audience"), _("All audiences")),
    "level": (_("Level"), _("All levels")),
    "language": (_("Language"), _("All languages")),
}


@dataclass(frozen=True)
class Option:
    label: str
    url: str
    current: bool
    count: int
    lang: str = ""  # a language named in itself carries its own lang attribute
    bidi: bool = False


@dataclass(frozen=True)
class FilterGroup:
    name: str
    label: str
    options: list


def option_labels(name):
    if name == "audience":
        return dict(Audience.choices)
    if name == "level":
        return dict(Level.choices)
    return language_names()


def filter_groups(catalogue, filters, base):
    """Each filter as a list of links: "all", then every value; each link keeps the other
    filters as they are."""
    groups = []
    for name, (label, all_label) in GROUP_LABELS.items():
        cleared = filters.with_value(name, "")
        options = [
            Option(
                all_label,
                base + cleared.query(),
                not getattr(filters, name),
                catalogue.count(cleared),
            )
        ]
        for value, value_label in option_labels(name).items():
            chosen = filters.with_value(name, value)
            language = name == "language"
            options.append(
                Option(
                    value_label,
                    base + chosen.query(),
                    getattr(filters, name) == value,
                    catalogue.count(chosen),
                    lang=value if language else "",
                    bidi=language and get_language_info(value)["bidi"],
                )
            )
        groups.append(FilterGroup(name, label, options))
    return groups


def catalogue(request):
    filters = Filters.from_query(request.GET)
    base = reverse("catalogue")
    listing = Catalogue(request, get_language())
    cards = listing.cards(filters)
    response = render(
        request,
        "courses/catalogue/catalogue.html",
        {
            "cards": cards,
            "filters": filters,
            "groups": filter_groups(listing, filters, base),
            "clear_url": base,
        },
    )
    if request.GET:
        # The proxy keys its cache on the whole address, and no purge could name every
        # combination of filters: only the unfiltered page is shared (and purged when a
        # course changes, courses/purging.py); a filtered one is worked out each time.
        response["Cache-Control"] = "private, no-cache"
    return response
