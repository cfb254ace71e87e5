"""What a visitor's search finds: live courses, modules and lessons of the active language that
the visitor may open, one page of results at a time, each with its place in the course, a
highlighted snippet and a link to the lesson section where the words occur.

A fixed number of queries per page of results, whatever their number: the search and its
count, the view restrictions, one query per page type for the results' own fields, one for
the courses and modules they sit in.
"""

from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.utils.text import capfirst
from django.utils.translation import get_language

from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.backends import get_search_backend

from courses import search
from courses.blocks import heading_anchors
from courses.models import CoursePage, LessonPage, ModulePage

PAGE_SIZE = 10
SEARCHED_TYPES = (CoursePage, ModulePage, LessonPage)


@dataclass
class Hit:
    """One result as the results page shows it."""

    page: Page
    kind: str
    place: list
    snippet: str
    url: str


def visible_pages(request):
    """Live courses, modules and lessons of the active language, without those under a view
    restriction the visitor does not satisfy (a password, sign-in, a group); None when the
    language has no pages at all."""
    locale = Locale.objects.filter(language_code=get_language()).first()
    if locale is None:  # a language no page was ever written in
        return None
    return without_restricted(
        request, Page.objects.live().filter(locale=locale).type(*SEARCHED_TYPES)
    )


def without_restricted(request, pages):
    """The pages, less those under a view restriction this visitor does not satisfy."""
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    for restriction in restrictions:
        if not restriction.accept_request(request):
            pages = pages.not_descendant_of(restriction.page, inclusive=True)
    return pages


def find(request, query, page_number=1):
    """The page of results (a Paginator page of Hits) for a parsed query (courses/search.py)."""
    pages = visible_pages(request)
    results = (
        get_search_backend().search(query.index_text, pages, operator="and")
        if pages is not None
        else []
    )
    found = Paginator(results, PAGE_SIZE).get_page(page_number)
    found.object_list = hits(request, list(found.object_list), query.words)
    return found


def hits(request, pages, words):
    """Hits for pages found (plain Page objects), in their order."""
    specific = {}
    by_type = {}
    for page in pages:
        by_type.setdefault(page.content_type_id, []).append(page.pk)
    for content_type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        found = model.objects.filter(pk__in=ids)
        if model is not LessonPage:
            found = found.defer_streamfields()
        specific.update((page.pk, page) for page in found)
    places = ancestors_by_path(pages)
    result = []
    for page in pages:
        page = specific.get(page.pk)
        if page is None:
            continue
        anchor, text = where_found(page, words)
        url = page.get_url(request) or ""
        result.append(
            Hit(
                page=page,
                kind=capfirst(page._meta.verbose_name),
                place=[places[path] for path in ancestor_paths(page) if path in places],
                snippet=search.snippet(text, words),
                url=f"{url}#{quote(anchor)}" if anchor else url,
            )
        )
    return result


def ancestor_paths(page):
    return [page.path[:end] for end in range(page.steplen, len(page.path), page.steplen)]


def ancestors_by_path(pages):
    """{path: title} of the courses and modules the pages sit in, in one query."""
    paths = {path for page in pages for path in ancestor_paths(page)}
    if not paths:
        return {}
    types = [ContentType.objects.get_for_model(model).pk for model in (CoursePage, ModulePage)]
    return dict(
        Page.objects.filter(path__in=paths, content_type_id__in=types).values_list("path", "title")
    )


def where_found(page, words):
    """(section anchor or None, text) of the page where most of the words occur; the page's
    first text, with no anchor, when they occur only in its title."""
    if isinstance(page, LessonPage):
        sections = lesson_sections(page)
    elif isinstance(page, CoursePage):
        sections = [(None, page.summary)]
    else:
        sections = [(None, get_text_for_indexing(page.intro or ""))]
    found = search.best_section(sections, words)
    if found:
        return found
    return None, next((text for _anchor, text in sections if text.strip()), "")


def lesson_sections(lesson):
    """[(anchor of the heading above, text), …] for each block of the lesson body, in order,
    with only what is indexed (an exercise's model answer is not)."""
    anchors = heading_anchors(lesson.body)
    sections, anchor = [], None
    for block in lesson.body:
        if block.block_type == "heading":
            anchor = anchors.get(block.id)
            text = block.value["text"]
        else:
            text = " ".join(block.block.get_searchable_content(block.value))
        sections.append((anchor, text))
    return sections
