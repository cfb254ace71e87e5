"""Which video addresses can be embedded, worked out without the network."""

import pytest

from courses.video import embed_url_for


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
        ("https://media.example.org/talk.mp4", "https://media.example.org/talk.mp4"),
    ],
)
def test_supported_addresses_become_embeds(url, expected):
    assert embed_url_for(url)["src"] == expected


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://www.youtube.com/watch?v=bad id",
        "https://vimeo.com/channels/staff",
        "https://example.org/page.html",
        "",
    ],
)
def test_anything_else_is_refused(url):
    assert embed_url_for(url) is None
