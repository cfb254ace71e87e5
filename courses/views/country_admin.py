"""The admin side of country content: the forms for notes and profiles (a partner picks only
their countries), the guard on every view of one note, and the "to review" flags."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.models import Locale

from courses import permissions, staleness
from courses.links import local_next
from courses.models.countries import ReviewFlag
from courses.models.pages import LessonPage


class CountryContentForm(WagtailAdminModelForm):
    """A national partner chooses among their own countries only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        countries = permissions.partner_countries(self.for_user)
        field = self.fields.get("country")
        if countries is not None and field is not None:
            field.choices = [(code, name) for code, name in field.choices if code in countries]

    def clean_country(self):
        country = self.cleaned_data.get("country")
        if country and not permissions.may_write_for(self.for_user, country):
            raise forms.ValidationError(_("You may write only for your own countries."))
        return country


def headings(lesson):
    return [
        (block.id, block.value.get("text", ""))
        for block in lesson.body
        if block.block_type == "heading"
    ]


class CountryNoteForm(CountryContentForm):
    """The section is one of the lesson's headings, or the top of the lesson."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "section" not in self.fields:
            return
        lessons = (
            LessonPage.objects.filter(locale=Locale.get_default())
            .order_by("path")
            .only("id", "title", "body", "path")
        )
        choices = [("", _("Top of the lesson"))]
        for lesson in lessons:
            found = headings(lesson)
            if found:
                choices.append((lesson.title, found))
        current = self.initial.get("section") or getattr(self.instance, "section", "")
        known = {key for _group, items in choices[1:] for key, _text in items}
        if current and current not in known:
            choices.append((current, _("A heading the lesson no longer has")))
        self.fields["section"] = forms.ChoiceField(
            label=gettext_lazy("Section"),
            choices=choices,
            required=False,
            help_text=gettext_lazy(
                "The note shows at the end of this section of the lesson (up to the next "
                "heading), in every language the lesson is translated into."
            ),
        )

    def clean(self):
        data = super().clean()
        lesson, section = data.get("lesson"), data.get("section")
        known = {key for key, _text in headings(lesson.specific)} if lesson is not None else set()
        if lesson is not None and section and section not in known:
            self.add_error("section", _("Choose a heading of the lesson you chose."))
        return data


# --- Review flags ----------------------------------------------------------------------------


def review_flags(request):
    """Everything flagged "to review" that this user may clear, open ones first."""
    if not permissions.can_review_flags(request.user):
        raise PermissionDenied
    flags = (
        permissions.review_flags_for(request.user)
        .filter(reviewed_at__isnull=True)
        .select_related("note", "note__lesson", "note__locale", "page", "page__locale")
    )
    return render(request, "courses/countries/review_flags.html", {"flags": flags})


@require_POST
def review_flag_done(request, pk):
    """Mark one flag reviewed, then go back where the editor was."""
    get_object_or_404(ReviewFlag, pk=pk)
    flag = permissions.review_flags_for(request.user).filter(pk=pk).first()
    if flag is None:
        raise PermissionDenied
    if flag.reviewed_at is None:
        staleness.mark_reviewed(flag, request.user)
        messages.success(request, _("Marked as reviewed."))
    return redirect(local_next(request, request.POST.get("next", "")) or "review_flags")
