"""Lesson images and video posters: sized WebP renditions with a fallback, lazy, never jumping."""

import json
import uuid
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings

import pytest
from bs4 import BeautifulSoup
from PIL import Image as PillowImage

from courses.images import widths_for
from tests import factories

pytestmark = pytest.mark.django_db


def lesson_with(tree, *blocks):
    lesson = tree.lessons[0]
    lesson.body = json.dumps(list(blocks))
    return factories.publish(lesson)


def rendered(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def widths_in(srcset):
    """The width descriptors of a srcset, in order: "a.webp 480w, b.webp 800w" → [480, 800]."""
    return [int(candidate.split()[1].removesuffix("w")) for candidate in srcset.split(",")]


def urls_in(srcset):
    return [candidate.split()[0] for candidate in srcset.split(",")]


def media_file(url):
    """The file behind a /media/ address, opened with Pillow."""
    relative = unquote(url).removeprefix(settings.MEDIA_URL)
    return PillowImage.open(Path(settings.MEDIA_ROOT) / relative)


@pytest.fixture
def photo(db):
    return factories.make_image(1600, 900)


class TestLessonImage:
    def test_a_photo_is_a_picture_with_webp_and_jpeg_at_three_widths(self, client, tree, photo):
        page = rendered(client, lesson_with(tree, factories.image_block(photo)))
        picture = page.select_one(".lesson-image picture")
        assert picture is not None
        source, img = picture.find("source"), picture.find("img")
        assert source["type"] == "image/webp"
        assert widths_in(source["srcset"]) == [480, 800, 1200]
        assert widths_in(img["srcset"]) == [480, 800, 1200]
        assert source["sizes"] and img["sizes"] == source["sizes"]
        assert [media_file(url).format for url in urls_in(source["srcset"])] == ["WEBP"] * 3
        assert [media_file(url).format for url in urls_in(img["srcset"])] == ["JPEG"] * 3

    def test_the_img_is_lazy_has_its_alt_text_and_reserves_its_space(self, client, tree, photo):
        page = rendered(
            client, lesson_with(tree, factories.image_block(photo, alt="A sealed evidence bag"))
        )
        img = page.select_one(".lesson-image img")
        assert img["alt"] == "A sealed evidence bag"
        assert img["loading"] == "lazy"
        assert img["decoding"] == "async"
        # The column-sized rendition: 800 wide, keeping the photo's 16:9.
        assert (img["width"], img["height"]) == ("800", "450")
        assert media_file(img["src"]).size == (800, 450)
        # The original upload is never sent to learners.
        assert photo.file.url not in str(page)

    def test_a_png_diagram_keeps_a_png_fallback(self, client, tree):
        diagram = factories.make_image(1000, 500, kind="PNG")
        page = rendered(client, lesson_with(tree, factories.image_block(diagram)))
        img = page.select_one(".lesson-image img")
        assert media_file(img["src"]).format == "PNG"
        assert page.select_one(".lesson-image source")["type"] == "image/webp"

    def test_a_small_image_is_not_enlarged_nor_listed_twice(self, client, tree):
        small = factories.make_image(600, 300)
        page = rendered(client, lesson_with(tree, factories.image_block(small)))
        img = page.select_one(".lesson-image img")
        assert widths_in(img["srcset"]) == [480, 600]
        assert widths_in(page.select_one(".lesson-image source")["srcset"]) == [480, 600]
        assert (img["width"], img["height"]) == ("600", "300")

    def test_the_caption_is_shown_under_the_image(self, client, tree, photo):
        page = rendered(
            client, lesson_with(tree, factories.image_block(photo, caption="Exhibit 4"))
        )
        assert page.select_one(".lesson-image figcaption").get_text() == "Exhibit 4"

    def test_a_deleted_image_leaves_the_lesson_readable(self, client, tree, photo):
        lesson = lesson_with(tree, factories.image_block(photo), factories.paragraph("Still here."))
        photo.delete()
        page = rendered(client, lesson)
        assert page.select_one("picture") is None
        assert "Still here." in page.get_text()


@pytest.mark.parametrize(
    ("original", "offered"),
    [(4000, [480, 800, 1200]), (1200, [480, 800, 1200]), (900, [480, 800, 900]), (300, [300])],
)
def test_offered_widths_never_exceed_the_original_or_repeat(original, offered):
    assert widths_for(original) == offered


class TestVideoPoster:
    def video(self, poster=None, size="18 MB"):
        return {
            "type": "video",
            "value": {
                "title": "Imaging a phone",
                "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                "duration": "4:10",
                "size": size,
                "poster": poster.pk if poster else None,
                "transcript": "<p>First, isolate the device from the network.</p>",
            },
            "id": str(uuid.uuid4()),
        }

    def test_a_sized_lazy_poster_a_load_button_with_its_size_and_the_transcript_below(
        self, client, tree, photo
    ):
        page = rendered(client, lesson_with(tree, self.video(poster=photo)))
        figure = page.select_one("figure.video")
        poster = figure.select_one(".video-frame picture")
        assert poster.find("source")["type"] == "image/webp"
        img = poster.find("img")
        assert img["loading"] == "lazy" and img["alt"] == ""
        assert (img["width"], img["height"]) == ("800", "450")
        load = figure.select_one(".video-load")
        assert load.get_text() == "Load video (18 MB)"
        # Nothing is embedded until asked: the page holds a link, not a player.
        assert figure.find("iframe") is None and figure.find("video") is None
        transcript = figure.select_one(".transcript")
        assert "isolate the device" in transcript.get_text()
        assert list(figure.children).index(transcript) > list(figure.children).index(
            figure.select_one(".video-frame")
        )

    def test_without_a_poster_or_size_the_button_still_loads_the_video(self, client, tree):
        page = rendered(client, lesson_with(tree, self.video(size="")))
        figure = page.select_one("figure.video")
        assert figure.find("picture") is None
        assert figure.select_one(".video-load").get_text() == "Load video"
