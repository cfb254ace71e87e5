"""Workshops: the instructor's area (plain forms, phone-sized, no JavaScript) and what
participants do: join with a code, check in, evaluate."""

from functools import partial
from http import HTTPStatus

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from courses import downloads, links, permissions, roster, uploads, workshops
from courses.exports import spreadsheet
from courses.forms import CodeForm, RosterForm, SessionForm, SurveyForm, WorkshopForm
from courses.models.downloads import PreparedFileKind
from courses.models.workshops import (
    InvitationRole,
    InvitationStatus,
    Participant,
    Workshop,
    WorkshopInvitation,
)

ROSTER_SESSION_KEY = "roster-upload"


def seen_or_404(request, pk):
    """The workshop if this user may see it; others get a 404, not a hint. Then two-factor,
    where the rules ask for it (courses/permissions.py)."""
    workshop = Workshop.objects.filter(pk=pk).first()
    if workshop is None or not permissions.can_see_workshop(request.user, workshop):
        raise Http404
    permissions.require_two_factor(request.user)
    return workshop


def run_or_404(request, pk):
    """The workshop if this user runs it; those who only see it are refused."""
    workshop = seen_or_404(request, pk) if request.user.is_authenticated else None
    if workshop is None:
        raise Http404
    if not permissions.can_manage_workshop(request.user, workshop):
        raise PermissionDenied
    return workshop


# --- The instructor's area ----------------------------------------------------------------


@login_required
def teach(request):
    if not permissions.may_open_teach(request.user):
        raise PermissionDenied
    mine = permissions.workshops_for(request.user).prefetch_related("instructors")
    can_create = permissions.can_run_workshops(request.user)
    permissions.require_two_factor(request.user)
    context = {"workshops": mine, "can_create": can_create}
    return render(request, "courses/workshops/teach.html", context)


@login_required
def workshop_new(request):
    if not permissions.can_run_workshops(request.user):
        raise PermissionDenied
    permissions.require_two_factor(request.user)
    return workshop_form(request, Workshop(language=get_language()))


@login_required
def workshop_edit(request, pk):
    return workshop_form(request, run_or_404(request, pk))


def workshop_form(request, workshop):
    creating = workshop.pk is None
    lead = creating or permissions.is_lead(request.user, workshop)
    form = WorkshopForm(request.POST or None, instance=workshop, lead=lead, creator=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if creating:
                form.instance.lead = request.user
            saved = form.save()
            if creating:
                saved.instructors.add(request.user)
            for person in form.cleaned_data.get("remove_instructors") or ():
                workshops.remove_instructor(saved, person)
            invited = invite_instructors(request, saved, form.cleaned_data.get("co_instructors"))
        messages.success(request, _("Workshop saved."))
        if invited:
            messages.info(
                request,
                ngettext(
                    "%(count)d instructor invited: they join once they accept.",
                    "%(count)d instructors invited: they join once they accept.",
                    invited,
                )
                % {"count": invited},
            )
        return redirect("workshop_dashboard", pk=saved.pk)
    return render(request, "courses/workshops/form.html", {"form": form, "workshop": workshop})


def invite_instructors(request, workshop, people):
    """Invite each person not yet an instructor; emails go once the save is committed."""
    current = set(workshop.instructors.values_list("pk", flat=True))
    new = []
    for person in people or ():
        if person.pk in current:
            continue
        invitation, created = workshops.invite(
            workshop, person, InvitationRole.INSTRUCTOR, request.user, email=person.email
        )
        if not created and invitation.status != InvitationStatus.PENDING:
            # Asked again after declining or being removed: a fresh question.
            invitation.status, invitation.answered_at = InvitationStatus.PENDING, None
            invitation.save(update_fields=["status", "answered_at"])
        new.append(invitation)
    transaction.on_commit(
        partial(roster.send_instructor_invitations, new, request.user, get_language()),
        robust=True,
    )
    return len(new)


@login_required
def dashboard(request, pk):
    workshop = seen_or_404(request, pk)
    return dashboard_page(request, workshop, SessionForm(workshop=workshop))


def dashboard_page(request, workshop, session_form, status=HTTPStatus.OK):
    """The dashboard; after a refused "Add a session", with that form as it was sent."""
    # The room scans the public address (SITE_URL), not the one the instructor's laptop uses.
    join_url = links.absolute(reverse("workshop_join_code_link", args=[workshop.join_code]))
    context = {
        "workshop": workshop,
        "join_url": join_url,
        "join_page_url": links.absolute(reverse("workshop_join")),
        "join_qr": mark_safe(workshops.join_qr_svg(join_url)),  # noqa: S308  (our own SVG)
        "data": workshops.cohort(workshop),
        "sessions": workshop.sessions.all(),
        "session_form": session_form,
        "can_manage": permissions.can_manage_workshop(request.user, workshop),
        "invitations": workshop.invitations.exclude(status=InvitationStatus.ACCEPTED),
    }
    return render(request, "courses/workshops/dashboard.html", context, status=status)


@require_POST
@login_required
def join_code(request, pk):
    workshop = run_or_404(request, pk)
    action = request.POST.get("action")
    if action == "regenerate":
        workshop.regenerate_join_code()
        messages.success(request, _("New join code: %(code)s") % {"code": workshop.join_code})
    elif action in ("open", "close"):
        workshop.joining_open = action == "open"
        messages.success(
            request,
            _("Joining is open.") if workshop.joining_open else _("Joining is closed."),
        )
    workshop.save(update_fields=["join_code", "joining_open"])
    return redirect("workshop_dashboard", pk=workshop.pk)


@login_required
def session_add(request, pk):
    """Adds a session; a refused one comes back on the dashboard as typed, errors at the
    fields. A GET here (a reload, another language) goes to the dashboard."""
    workshop = run_or_404(request, pk)
    if request.method != "POST":
        return redirect("workshop_dashboard", pk=workshop.pk)
    form = SessionForm(request.POST, workshop=workshop)
    if not form.is_valid():
        return dashboard_page(request, workshop, form, status=HTTPStatus.BAD_REQUEST)
    form.instance.workshop = workshop
    form.save()
    messages.success(request, _("Session added."))
    # Back to the list of sessions, where the new one now shows.
    return redirect(reverse("workshop_dashboard", args=[workshop.pk]) + "#sessions-heading")


def session_of(request, pk, session_id):
    workshop = run_or_404(request, pk)
    return workshop, get_object_or_404(workshop.sessions, pk=session_id)


@login_required
def attendance(request, pk, session_id):
    """The checklist for one session: tick who is here."""
    workshop, session = session_of(request, pk, session_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "checkin":
                code = workshops.open_checkin(session)
                messages.success(request, _("Self check-in is open: %(code)s") % {"code": code})
            else:
                workshops.record_attendance(session, request.POST.getlist("present"))
                messages.success(request, _("Attendance saved."))
        except workshops.WorkshopError as error:
            messages.error(request, str(error))
        return redirect("workshop_attendance", pk=workshop.pk, session_id=session.pk)
    present = set(session.attendance.values_list("user_id", flat=True))
    participants = workshop.participants.select_related("user", "user__learner_profile")
    context = {
        "workshop": workshop,
        "session": session,
        "people": [(p, p.user_id in present) for p in participants.order_by("joined_at")],
        "present_count": len(present),
    }
    return render(request, "courses/workshops/attendance.html", context)


@login_required
def pacing(request, pk):
    workshop = run_or_404(request, pk)
    data = workshops.cohort(workshop)
    keys = [module.translation_key for module in data.modules]
    if request.method == "POST":
        opens_on, released, bad = {}, {}, False
        for key in keys:
            raw = request.POST.get(f"opens-{key}", "").strip()
            try:
                date = parse_date(raw) if raw else None
            except ValueError:  # well formed but impossible: 2026-02-30
                date = None
            if raw and date is None:
                bad = True
            opens_on[key] = date
            released[key] = request.POST.get(f"released-{key}") == "on"
        if bad:
            messages.error(request, _("Give dates as YYYY-MM-DD; nothing was changed."))
        else:
            workshops.set_releases(workshop, keys, opens_on, released)
            messages.success(request, _("Pacing saved."))
        return redirect("workshop_pacing", pk=workshop.pk)
    releases = {release.module_key: release for release in workshop.releases.all()}
    context = {
        "workshop": workshop,
        "modules": [(module, releases.get(module.translation_key)) for module in data.modules],
        # The setting's label as its form shows it, so the notice names what to tick.
        "paced_label": capfirst(Workshop._meta.get_field("paced").verbose_name),
    }
    return render(request, "courses/workshops/pacing.html", context)


@csrf_exempt  # checked in roster_page(), once the upload is capped: the check reads the body
@login_required
def roster_import(request, pk):
    """Upload → preview (nothing saved) → apply (one transaction)."""
    workshop = run_or_404(request, pk)
    capped = None
    if request.method == "POST":
        if uploads.declared_too_large(request, roster.MAX_BYTES):
            # Answered unread, so without the CSRF check: this answer changes nothing.
            preview = roster.RosterPreview(problem=str(roster.too_large()))
            context = {"workshop": workshop, "form": RosterForm(), "preview": preview}
            return render(request, "courses/workshops/roster.html", context)
        capped = uploads.cap(request, roster.MAX_BYTES)
    return roster_page(request, workshop, capped)


@csrf_protect
def roster_page(request, workshop, capped):
    form = RosterForm()
    preview = None
    if request.method == "POST" and request.POST.get("action") == "apply":
        stored = request.session.get(ROSTER_SESSION_KEY)
        if not stored or stored["workshop"] != workshop.pk:
            messages.error(request, _("Upload the file again: its preview has expired."))
            return redirect("workshop_roster", pk=workshop.pk)
        done = roster.apply_roster(
            stored["data"].encode("latin-1"), workshop, request.user, workshop.language
        )
        del request.session[ROSTER_SESSION_KEY]
        counts = done.counts
        messages.success(
            request,
            _(
                "Roster imported: %(invited)s invited, %(already)s already in the workshop or "
                "invited before. Each person joins once they accept."
            )
            % {
                "invited": counts.get("new", 0) + counts.get("existing", 0),
                "already": counts.get("already", 0) + counts.get("invited", 0),
            },
        )
        return redirect("workshop_dashboard", pk=workshop.pk)
    if request.method == "POST":
        form = RosterForm(request.POST, request.FILES)
        if capped.exceeded:
            form, preview = RosterForm(), roster.RosterPreview(problem=str(roster.too_large()))
        elif form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(roster.MAX_BYTES + 1)
            preview = roster.read_roster(data, workshop)
            if preview.can_apply:
                # Bytes kept as latin-1 text: the session serialises JSON.
                request.session[ROSTER_SESSION_KEY] = {
                    "workshop": workshop.pk,
                    "data": data.decode("latin-1"),
                }
    context = {"workshop": workshop, "form": form, "preview": preview}
    return render(request, "courses/workshops/roster.html", context)


@login_required
def certificates_for_room(request, pk):
    workshop = run_or_404(request, pk)
    if request.method == "POST":
        issued, problems = workshops.issue_for_room(workshop, request.user)
        messages.success(request, _("%(count)s certificates issued.") % {"count": issued})
        for name, reason in problems:
            messages.error(request, f"{name}: {reason}")
        return redirect("workshop_certificates", pk=workshop.pk)
    plan = workshops.certificate_plan(workshops.cohort(workshop))
    context = {
        "workshop": workshop,
        "plan": plan,
        "due": sum(len(kinds) for _row, kinds, _done in plan),
        "issued": workshops.room_certificates(workshop).count(),
    }
    return render(request, "courses/workshops/certificates.html", context)


@login_required
def certificates_zip(request, pk):
    """Ask for the room's certificates as one ZIP: a background task makes it, the page it
    redirects to waits for it (courses/downloads.py)."""
    workshop = seen_or_404(request, pk)
    prepared = downloads.ask(
        request.user, PreparedFileKind.ROOM_CERTIFICATES, {"workshop": workshop.pk}
    )
    return redirect("prepared_file", pk=prepared.pk)


def export_rows(data):
    header = [
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Country"),
        *[module.title for module in data.modules],
        *[quiz.title for quiz in data.quizzes],
        _("Pre-test"),
        _("Post-test"),
        _("Normalised gain"),
        _("Attendance (%)"),
        _("Completed"),
        _("Certificates"),
    ]
    rows = [header]
    for row in data.rows:
        profile = getattr(row.user, "learner_profile", None)
        rows.append(
            [
                row.name,
                row.user.email,
                profile.organisation if profile else "",
                profile.country.code if profile and profile.country else "",
                *[f"{done}/{needed}" for _module, done, needed in row.modules],
                *["" if score is None else score for _quiz, score in row.quiz_scores],
                "" if row.pre is None else row.pre,
                "" if row.post is None else row.post,
                "" if not row.gain or row.gain.normalised is None else row.gain.normalised,
                "" if row.attendance is None else row.attendance,
                _("yes") if row.completed else _("no"),
                " ".join(sorted(row.certificates.values())),
            ]
        )
    return rows


@login_required
def export(request, pk, fmt):
    workshop = seen_or_404(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = export_rows(workshops.cohort(workshop))
    stem = f"{slugify(workshop.title) or 'workshop'}-{timezone.localdate():%Y-%m-%d}"
    return spreadsheet(rows, stem, fmt, _("Participants"))


# --- Participants ---------------------------------------------------------------------------


@login_required
def join(request, code=""):
    """Join with a code typed in, or from the link or QR code the instructor shows."""
    form = CodeForm(request.POST or None, initial={"code": code})
    if request.method == "POST" and form.is_valid():
        try:
            workshop, new = workshops.join(request.user, form.cleaned_data["code"])
        except workshops.WorkshopError as error:
            form.add_error("code", str(error))
        else:
            if new:
                messages.success(request, _("Welcome to %(title)s.") % {"title": workshop.title})
            else:
                messages.info(request, _("You are already in this workshop."))
            return redirect("workshop_home", pk=workshop.pk)
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render(request, "courses/workshops/join.html", {"form": form}, status=status)


@login_required
def invitations(request):
    """The workshop invitations waiting for this person's answer."""
    context = {"invitations": workshops.pending_invitations(request.user)}
    return render(request, "courses/workshops/invitations.html", context)


@require_POST
@login_required
def invitation_answer(request, pk):
    invitation = get_object_or_404(WorkshopInvitation, pk=pk, user=request.user)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, _("Choose Accept or Decline."))
        return redirect("workshop_invitations")
    try:
        if answer == "accept":
            workshop = workshops.accept(invitation)
        else:
            workshops.decline(invitation)
            workshop = None
    except workshops.WorkshopError as error:
        messages.error(request, str(error))
        return redirect("workshop_invitations")
    if workshop is None:
        messages.info(request, _("Invitation declined. The instructors see only that."))
        return redirect("workshop_invitations")
    messages.success(request, _("Welcome to %(title)s.") % {"title": workshop.title})
    if invitation.role == InvitationRole.INSTRUCTOR:
        return redirect("workshop_dashboard", pk=workshop.pk)
    return redirect("workshop_home", pk=workshop.pk)


def participant_or_404(request, pk):
    workshop = get_object_or_404(Workshop, pk=pk)
    if not Participant.objects.filter(workshop=workshop, user=request.user).exists():
        raise Http404
    return workshop


@login_required
def workshop_home(request, pk):
    workshop = participant_or_404(request, pk)
    context = {
        "workshop": workshop,
        "course": workshops.course_for(workshop),
        "sessions": workshop.sessions.all(),
        "checkin_form": CodeForm(),
        "evaluated": Participant.objects.filter(
            workshop=workshop, user=request.user, evaluated=True
        ).exists(),
    }
    return render(request, "courses/workshops/home.html", context)


@require_POST
@login_required
def check_in(request, pk):
    workshop = participant_or_404(request, pk)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            session = workshops.check_in(request.user, workshop, form.cleaned_data["code"])
        except workshops.WorkshopError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("You are checked in for %(session)s.") % {"session": session}
            )
    else:
        messages.error(request, _("Type the check-in code your instructor shows."))
    return redirect("workshop_home", pk=workshop.pk)


@login_required
def evaluation(request, pk):
    workshop = participant_or_404(request, pk)
    place = Participant.objects.filter(workshop=workshop, user=request.user)
    if place.filter(evaluated=True).exists():
        messages.info(request, _("You have already sent your evaluation. Thank you."))
        return redirect("workshop_home", pk=workshop.pk)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The answer is stored with the workshop only; the participant row remembers that
        # they answered. One UPDATE decides, so a second tab sending it too finds it done.
        form.instance.workshop = workshop
        with transaction.atomic():
            first = place.filter(evaluated=False).update(evaluated=True)
            if first:
                form.save()
        if first:
            messages.success(request, _("Thank you for your evaluation."))
        else:
            messages.info(request, _("You have already sent your evaluation. Thank you."))
        return redirect("workshop_home", pk=workshop.pk)
    return render(
        request, "courses/workshops/evaluation.html", {"workshop": workshop, "form": form}
    )
