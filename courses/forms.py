"""Forms for what learners type in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from allauth.account import forms as allauth_forms

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


class OurLabelsMixin:
    """Our own labels (translated in our catalogue) and no placeholders: labels stay visible."""

    labels = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in self.labels.items():
            field = self.fields[name]
            field.label = label
            field.widget.attrs.pop("placeholder", None)


class PasswordsMatchMixin:
    """Replaces allauth's mismatch error on password2 with ours."""

    def clean(self):
        cleaned_data = super().clean()
        first, second = self.data.get("password1"), self.data.get("password2")
        if first and second and first != second:
            self.errors["password2"] = self.error_class([_("The two passwords do not match.")])
        return cleaned_data


class LoginForm(OurLabelsMixin, allauth_forms.LoginForm):
    """allauth's login form without its inline reset link (the page has its own)."""

    labels = {
        "login": _("Email address"),
        "password": _("Password"),
        "remember": _("Keep me signed in on this device"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


class SignupForm(OurLabelsMixin, PasswordsMatchMixin, allauth_forms.SignupForm):
    labels = {
        "email": _("Email address"),
        "password1": _("Password"),
        "password2": _("Password again"),
    }


class ResetPasswordForm(OurLabelsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": _("Email address")}


class ResetPasswordKeyForm(OurLabelsMixin, PasswordsMatchMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": _("New password"), "password2": _("New password again")}
