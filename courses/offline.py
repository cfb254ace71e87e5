"""Reading on a weak or absent connection: the data-saver choice and the service worker's script."""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from courses.models.learners import LearnerProfile

DATA_SAVER_COOKIE = "data_saver"
# Pages the service worker keeps for reading offline, newest first; older ones are dropped.
OFFLINE_PAGES_KEPT = 50
# Fetched when the service worker installs, so a cached lesson still has its styles offline.
OFFLINE_ASSETS = ["css/site.css", "js/offline.js", "js/video.js"]
# Never cached, whoever is signed in: what belongs to an account, is graded or is checked live.
NEVER_CACHED = [
    "/admin/",
    "/accounts/",
    "/verify/",
    "/quizzes/",
    "/progress/",
    "/profile/",
    "/learning/",
    "/teach/",
    "/join/",
    "/workshops/",
]


def data_saver_on(request):
    """Signed-in learners keep the choice in their profile; visitors in a cookie."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return bool(
            LearnerProfile.objects.filter(user=user).values_list("data_saver", flat=True).first()
        )
    return request.COOKIES.get(DATA_SAVER_COOKIE) == "1"


def service_worker_script():
    """The service worker's source with its settings in front; the version changes with either."""
    path = finders.find("js/sw.js")
    with open(path, encoding="utf-8") as source:
        code = source.read()
    offline_pages = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            offline_pages[language] = reverse("offline")
    config = {
        "assets": [static(asset) for asset in OFFLINE_ASSETS],
        "staticPrefix": settings.STATIC_URL,
        "offlinePages": offline_pages,
        "neverCached": NEVER_CACHED,
        "pagesKept": OFFLINE_PAGES_KEPT,
    }
    config_json = json.dumps(config, sort_keys=True)
    version = hashlib.sha256((config_json + code).encode()).hexdigest()[:12]
    config["version"] = version
    return f"const CONFIG = {json.dumps(config, sort_keys=True)};\n{code}"
