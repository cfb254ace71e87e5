"""Password rules: Django's validators, with every message in the learner's language.

Django 5.2 words the too-short error "… at least %d characters."; its Arabic, Chinese and
Vietnamese catalogues still translate only the wording before it ("… at least
%(min_length)d characters."), so those learners read that one error in English (in Arabic,
with its full stop at the wrong end). Our validator asks Django's catalogue for the current
wording and, where it has none, for the earlier one.

Django's Portuguese catalogue translates neither wording, so the current one is also in our
own catalogue (makemessages extracts it from here), which then serves every language.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext

# Django's msgids for the error: the current wording, also in our catalogue (below), and the
# earlier one, looked up in Django's catalogue only.
TOO_SHORT = (
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
)
TOO_SHORT_EARLIER = (
    "This password is too short. It must contain at least %(min_length)d character.",
    "This password is too short. It must contain at least %(min_length)d characters.",
)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, its error in whichever wording the language's catalogue has."""

    def get_error_message(self):
        current = ngettext(
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            self.min_length,
        )
        if current not in TOO_SHORT:
            return current % self.min_length
        earlier = ngettext(*TOO_SHORT_EARLIER, self.min_length)
        return earlier % {"min_length": self.min_length}
