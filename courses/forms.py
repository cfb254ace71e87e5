"""Forms for what learners type in."""

import functools
import zoneinfo

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress

from courses import addresses, names, permissions
from courses.converters import LARGEST_ID
from courses.models.learners import LearnerProfile
from courses.models.pages import CoursePage
from courses.models.workshops import Session, SurveyResponse, Workshop


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
            "data_saver",
            "public_trainer_profile",
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
        # Only certified trainers have a trainer profile to show.
        from courses.cascade import holds_trainer_certificate

        if not (self.instance.user_id and holds_trainer_certificate(self.instance.user)):
            del self.fields["public_trainer_profile"]

    def clean_certificate_name(self):
        return names.clean_certificate_name(self.cleaned_data["certificate_name"])


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
    """Only a verified address is taken; signing up with one emails its owner instead and
    answers as for a new account, so the page does not tell who has an account."""

    labels = {
        "email": _("Email address"),
        "password1": _("Password"),
        "password2": _("Password again"),
    }

    def validate_unique_email(self, value):
        self.account_already_exists = addresses.verified_owner(value) is not None
        return get_adapter().validate_unique_email(value)


class ResetPasswordForm(OurLabelsMixin, allauth_forms.ResetPasswordForm):
    """Resets only the account that verified the address (allauth would also take one that
    merely lists it unverified); the answer is the same whether or not there is one."""

    labels = {"email": _("Email address")}

    def clean_email(self):
        email = super().clean_email()
        owner = addresses.verified_owner(email)
        self.users = [owner] if owner is not None and owner.is_active else []
        return email


class ResetPasswordKeyForm(OurLabelsMixin, PasswordsMatchMixin, allauth_forms.ResetPasswordKeyForm):
    labels = {"password1": _("New password"), "password2": _("New password again")}


# --- Workshops ---------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"


class PeopleField(forms.ModelMultipleChoiceField):
    """Ticked people by id. An id no database integer can hold is refused like any unknown
    one, before the query: SQLite cannot even bind it."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(pk)
            except (TypeError, ValueError):
                continue  # not a number: refused as an unknown choice below
            if abs(number) > LARGEST_ID:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class WorkshopForm(forms.ModelForm):
    """What an instructor sets up; the course is chosen among the live courses. The lead
    instructor also invites and removes co-instructors (pass lead=True)."""

    course = forms.TypedChoiceField(label=_("Course"), coerce=str)
    online_link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    co_instructors = forms.CharField(
        label=_("Invite other instructors"),
        required=False,
        help_text=_(
            "Email addresses, separated by commas, of people allowed to run workshops, as "
            "they verified them. Each receives an invitation and becomes an instructor of "
            "this workshop, seeing its participants' data, only once they accept."
        ),
    )
    remove_instructors = PeopleField(
        label=_("Remove instructors"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They lose access to this workshop at once."),
    )

    class Meta:
        model = Workshop
        fields = [
            "title",
            "start_date",
            "end_date",
            "time_zone",
            "venue",
            "online_link",
            "language",
            "country",
            "capacity",
            "attendance_threshold",
            "paced",
            "waive_reading_time",
            "status",
            "joining_open",
            "lead_trainer",
        ]
        widgets = {"start_date": DateInput, "end_date": DateInput}

    def __init__(self, *args, lead=False, creator=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Among the instructors only (the creator, for a new workshop); the certificate is
        # checked in clean_lead_trainer, so that a refusal says why.
        instructors = (
            self.instance.instructors.all()
            if self.instance.pk
            else get_user_model().objects.filter(pk=getattr(creator, "pk", None))
        )
        self.fields["lead_trainer"].queryset = instructors.select_related("learner_profile")
        self.fields["lead_trainer"].label_from_instance = instructor_label
        courses = CoursePage.objects.live().filter(locale__language_code="en").order_by("title")
        self.fields["course"].choices = [(str(c.translation_key), c.title) for c in courses]
        self.fields["time_zone"] = forms.ChoiceField(
            label=self.fields["time_zone"].label,
            help_text=self.fields["time_zone"].help_text,
            required=False,
            choices=time_zone_choices(),
        )
        if self.instance.pk:
            self.initial["course"] = str(self.instance.course_key)
        others = (
            self.instance.instructors.exclude(pk=self.instance.lead_id)
            if self.instance.pk
            else get_user_model().objects.none()
        )
        if not lead:
            del self.fields["co_instructors"], self.fields["remove_instructors"]
        elif others.exists():
            self.fields["remove_instructors"].queryset = others
            self.fields["remove_instructors"].label_from_instance = instructor_label
        else:
            del self.fields["remove_instructors"]
        self.order_fields(["title", "course"])

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data

    def clean_lead_trainer(self):
        """Only an instructor holding a valid trainer certificate leads as a trainer."""
        from courses.cascade import holds_trainer_certificate

        trainer = self.cleaned_data.get("lead_trainer")
        if trainer is not None and not holds_trainer_certificate(trainer):
            raise forms.ValidationError(
                _(
                    "%(name)s holds no valid trainer certificate, so cannot be the lead "
                    "trainer. Leave it empty, or choose a certified trainer."
                )
                % {"name": instructor_label(trainer)}
            )
        return trainer

    def clean_co_instructors(self):
        """The accounts behind verified addresses of people who may run workshops."""
        emails = {
            e.strip().lower() for e in self.cleaned_data["co_instructors"].split(",") if e.strip()
        }
        addresses = (
            EmailAddress.objects.annotate(lower_email=Lower("email"))
            .filter(lower_email__in=emails, verified=True)
            .select_related("user")
        )
        users = {
            address.email.lower(): address.user
            for address in addresses
            if permissions.can_run_workshops(address.user)
        }
        refused = emails - set(users)
        if refused:
            raise forms.ValidationError(
                _(
                    "Only people allowed to run workshops can be invited, with an address "
                    "they have verified. Check: %(emails)s"
                )
                % {"emails": ", ".join(sorted(refused))}
            )
        return list(users.values())

    def save(self, commit=True):
        self.instance.course_key = self.cleaned_data["course"]
        return super().save(commit)


# Where people live; the rest of the IANA list is aliases and oddities (Etc/GMT+3, US/…).
TIME_ZONE_REGIONS = (
    "Africa",
    "America",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


@functools.cache
def known_time_zones():
    """{region: [zone names]}, read once: the system's time zone database does not change."""
    regions = {}
    for name in sorted(zoneinfo.available_timezones()):
        region, _slash, _city = name.partition("/")
        if region in TIME_ZONE_REGIONS:
            regions.setdefault(region, []).append(name)
    return regions


def time_zone_choices():
    """The site's time zone first (blank), then each region's zones as a group."""
    site = _("The site's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
    grouped = [
        (region, [(name, name.partition("/")[2].replace("_", " ")) for name in names])
        for region, names in known_time_zones().items()
    ]
    return [("", site), *grouped]


def instructor_label(user):
    profile = getattr(user, "learner_profile", None)
    name = profile.certificate_name if profile else ""
    return f"{name} <{user.email}>" if name else user.email


class SessionForm(forms.ModelForm):
    """A day or half-day, within the workshop's dates (any day when it has none)."""

    class Meta:
        model = Session
        fields = ["date", "starts_at", "ends_at", "title"]
        widgets = {"date": DateInput, "starts_at": TimeInput, "ends_at": TimeInput}

    def __init__(self, *args, workshop=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = (
            (workshop.start_date, workshop.end_date)
            if workshop and workshop.start_date and workshop.end_date
            else None
        )
        if self.days:
            # The phone's date picker then offers only the workshop's days.
            first, last = self.days
            self.fields["date"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The session must end after it starts."))
        day = data.get("date")
        if day and self.days and not self.days[0] <= day <= self.days[1]:
            first, last = (date_format(d, "DATE_FORMAT") for d in self.days)
            self.add_error(
                "date",
                _("Choose a day within the workshop, from %(first)s to %(last)s.")
                % {"first": first, "last": last},
            )
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)


class RosterForm(forms.Form):
    file = forms.FileField(
        label=_("Roster file (CSV)"),
        help_text=_(
            "Columns: name, email, and if you have them organisation, country, role, sex. "
            "UTF-8, separated by commas or semicolons."
        ),
    )


SCALE = [(n, str(n)) for n in range(1, 6)]


class SurveyForm(forms.ModelForm):
    class Meta:
        model = SurveyResponse
        fields = ["relevance", "quality", "applicability", "will_use", "missing"]
        widgets = {
            "relevance": forms.RadioSelect(choices=SCALE),
            "quality": forms.RadioSelect(choices=SCALE),
            "applicability": forms.RadioSelect(choices=SCALE),
            "will_use": forms.Textarea(attrs={"rows": 3}),
            "missing": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "relevance": _("1 = not at all, 5 = very much"),
            "quality": _("1 = poor, 5 = excellent"),
            "applicability": _("1 = not at all, 5 = very much"),
        }


class FollowUpForm(forms.Form):
    """A follow-up survey's answers; the question texts are the survey's (editors' content,
    in the page's language)."""

    applied = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    frequency = forms.ChoiceField(widget=forms.RadioSelect)
    obstacles = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Please leave out names and details that would identify you or anyone else."),
    )

    def __init__(self, *args, survey, **kwargs):
        from courses.models.followup import Frequency

        super().__init__(*args, **kwargs)
        self.fields["applied"].label = survey.applied_question
        self.fields["frequency"].label = survey.frequency_question
        self.fields["frequency"].choices = Frequency.choices
        self.fields["obstacles"].label = survey.obstacles_question
        self.more = []
        for block in survey.more_questions:
            name = f"more_{block.id}"
            self.fields[name] = forms.CharField(
                label=block.value["question"],
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.more.append((name, block.id))

    def more_answers(self):
        return {
            block_id: self.cleaned_data[name].strip()
            for name, block_id in self.more
            if self.cleaned_data.get(name, "").strip()
        }


# --- Programme reports ---------------------------------------------------------------------


class ReportFiltersForm(forms.Form):
    """The filters of the programme report; every field is optional."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput)
    end = forms.DateField(label=_("To"), required=False, widget=DateInput)
    course = forms.ChoiceField(label=_("Course"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    role = forms.ChoiceField(label=_("Role"), required=False)
    sex = forms.ChoiceField(label=_("Sex"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    mode = forms.ChoiceField(
        label=_("Delivery"),
        required=False,
        choices=[("", _("All")), ("self", _("Self-paced only")), ("workshop", _("Workshops only"))],
    )
    workshop = forms.ChoiceField(label=_("Workshop"), required=False)
    combine = forms.MultipleChoiceField(
        label=_("Also break down by the combination of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[("sex", _("Sex")), ("country", _("Country")), ("role", _("Role"))],
    )

    def __init__(self, *args, **kwargs):
        from django.conf import settings

        from django_countries import countries

        from courses.choices import Audience, Sex
        from courses.models.learners import LearnerProfile
        from courses.programme import NOT_STATED

        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        not_stated = [(NOT_STATED, _("Not stated"))]
        courses = CoursePage.objects.live().filter(locale__language_code="en").order_by("title")
        self.fields["course"].choices = every + [(str(c.translation_key), c.title) for c in courses]
        used = LearnerProfile.objects.exclude(country="").values_list("country", flat=True)
        self.fields["country"].choices = (
            every
            + sorted(((code, countries.name(code)) for code in set(used)), key=lambda c: c[1])
            + not_stated
        )
        self.fields["role"].choices = every + list(Audience.choices) + not_stated
        self.fields["sex"].choices = every + list(Sex.choices) + not_stated
        self.fields["language"].choices = every + list(settings.LANGUAGES)
        self.fields["workshop"].choices = every + [
            (str(w.pk), f"{w.title} ({w.start_date:%Y-%m-%d})") for w in Workshop.objects.all()
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period cannot be before its start."))
        return data

    def filters(self, threshold):
        from courses.programme import Filters

        data = self.cleaned_data
        labels = []
        for name, field in self.fields.items():
            value = data.get(name)
            if value and name != "combine":
                shown = (
                    dict(field.choices).get(value, value) if hasattr(field, "choices") else value
                )
                labels.append((str(field.label), str(shown)))
        return Filters(
            start=data.get("start"),
            end=data.get("end"),
            course_key=data.get("course") or None,
            country=data.get("country", ""),
            organisation=data.get("organisation", "").strip(),
            role=data.get("role", ""),
            sex=data.get("sex", ""),
            language=data.get("language", ""),
            mode=data.get("mode", ""),
            workshop_id=int(data["workshop"]) if data.get("workshop") else None,
            threshold=threshold,
            labels=labels,
        )
