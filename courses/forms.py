"""Forms for what learners type in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models.learners import LearnerProfile


class LearnerProfileForm(forms.ModelForm):
    """The profile a learner keeps; name and country are needed for certificates."""

    class Meta:
        model = LearnerProfile
        fields = [
            "certificate_name",
            "country",
            "organisation",
            "role",
            "sex",
            "preferred_language",
        ]
        help_texts = {
            "sex": _(
                "Optional. Asked only to count, anonymously, how many women and men "
                "are trained, as our donors require; never shown to anyone."
            ),
        }
        widgets = {"sex": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Required here rather than on the model: a fresh profile starts empty.
        self.fields["certificate_name"].required = True
        self.fields["country"].required = True
        self.fields["certificate_name"].widget.attrs.update({"autocomplete": "name", "dir": "auto"})
        self.fields["organisation"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["sex"].choices = [
            choice for choice in self.fields["sex"].choices if choice[0] != ""
        ]
        self.fields["sex"].required = False
