"""Template variables every page needs."""

from django.utils.functional import SimpleLazyObject

from courses.offline import data_saver_on


def data_saver(request):
    """`data_saver`: the learner's choice; `media_held`: lesson images and videos wait for a click.

    Lazy, so pages that never look cost no query.
    """
    setting = SimpleLazyObject(lambda: data_saver_on(request))
    held = SimpleLazyObject(lambda: bool(setting) and request.GET.get("show") != "images")
    return {"data_saver": setting, "media_held": held}
