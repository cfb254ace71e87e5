"""Turn a video address into something embeddable, without asking the network."""

import re
from urllib.parse import parse_qs, urlparse

YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
VIMEO_ID = re.compile(r"^\d+$")


def embed_url_for(url):
    """Return ``{"kind": "iframe"|"file", "src": …}`` for a supported video URL, else None."""
    try:
        parsed = urlparse(url or "")
    except ValueError:
        return None
    if parsed.scheme not in ("http", "https"):
        return None
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parsed.path
    video_id = None
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path == "/watch":
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif path.startswith(("/embed/", "/shorts/")):
            video_id = path.split("/")[2]
    elif host == "youtu.be":
        video_id = path.lstrip("/")
    if video_id is not None:
        if not YOUTUBE_ID.match(video_id):
            return None
        return {"kind": "iframe", "src": f"https://www.youtube-nocookie.com/embed/{video_id}"}
    if host == "vimeo.com":
        vimeo_id = path.strip("/").split("/")[0]
        if VIMEO_ID.match(vimeo_id):
            return {"kind": "iframe", "src": f"https://player.vimeo.com/video/{vimeo_id}"}
        return None
    if path.lower().endswith((".mp4", ".webm")):
        return {"kind": "file", "src": url}
    return None
