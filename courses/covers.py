"""Generated cover images: a course without a cover gets an abstract one (overlapping circles,
bands and blocks in the site's palette, no text), so that catalogue cards look alike until an
editor uploads a picture. The same course always gets the same picture (seeded by its
translation key)."""

import random
from io import BytesIO

from django.core.files.images import ImageFile

from wagtail.images import get_image_model
from wagtail.models import Collection, Revision

from PIL import Image, ImageDraw

from courses.models.pages import CoursePage

SIZE = (1280, 720)  # 16:9, as the cards crop it (courses/images.py)
# Deep blues and teals with warm accents: calm, institutional, and not the colour of a link.
PALETTE = [
    (17, 47, 82),
    (22, 78, 99),
    (31, 111, 120),
    (64, 145, 140),
    (196, 160, 82),
    (214, 111, 75),
    (232, 226, 212),
    (98, 79, 130),
]


def draw_cover(seed, size=SIZE):
    """An abstract picture (a PIL image) made from ``seed``: the same seed, the same picture."""
    chance = random.Random(seed)  # noqa: S311  (a picture, not a secret)
    width, height = size
    dark, light = chance.sample(PALETTE[:4], 2)
    picture = Image.new("RGB", size, dark)
    # A diagonal fade from one blue to another.
    fade = Image.linear_gradient("L").rotate(chance.choice([30, 45, 60]), expand=True)
    fade = fade.resize(size)
    picture = Image.composite(Image.new("RGB", size, light), picture, fade)
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _shape in range(chance.randint(5, 8)):
        colour = (*chance.choice(PALETTE), chance.randint(90, 200))
        kind = chance.choice(["circle", "band", "block"])
        x, y = chance.randint(0, width), chance.randint(0, height)
        if kind == "circle":
            radius = chance.randint(height // 8, height // 2)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
        elif kind == "band":
            thickness = chance.randint(height // 12, height // 4)
            slant = chance.randint(-height, height)
            draw.polygon(
                [(0, y), (width, y + slant), (width, y + slant + thickness), (0, y + thickness)],
                fill=colour,
            )
        else:
            side = chance.randint(height // 6, height // 2)
            draw.rectangle((x, y, x + side * 3 // 2, y + side), fill=colour)
    return Image.alpha_composite(picture.convert("RGBA"), layer).convert("RGB")


def cover_image(seed, title):
    """A Wagtail image of ``draw_cover(seed)``, stored as PNG (flat colours compress well)."""
    data = BytesIO()
    draw_cover(seed).save(data, "PNG", optimize=True)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return get_image_model().objects.create(
        title=title, file=ImageFile(data, name=f"cover-{seed[:8]}.png")
    )


def ensure_covers():
    """Give every course without a cover a generated one (the same image for all of its
    translations); returns the titles of the courses given one.

    The page rows and their latest revisions get the image without a new revision: the
    curriculum loader takes a new revision for an editor's change (courses/curriculum/
    loader.py), and the admin's edit form, which reads the latest revision, shows the cover.
    """
    bare = {}
    for course in CoursePage.objects.filter(cover_image__isnull=True).order_by("path"):
        bare.setdefault(course.translation_key, []).append(course)
    given = []
    for key, pages in bare.items():
        named = next((page for page in pages if page.live), pages[0])
        image = cover_image(str(key), f"Cover: {named.title}")
        CoursePage.objects.filter(pk__in=[page.pk for page in pages]).update(cover_image=image)
        revisions = {page.latest_revision_id for page in pages} | {
            page.live_revision_id for page in pages
        }
        for revision in Revision.objects.filter(pk__in=revisions - {None}):
            revision.content["cover_image"] = image.pk
            revision.save(update_fields=["content"])
        given.append(named.title)
    return given
