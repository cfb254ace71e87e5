"""The demo's country content: notes and profiles for two FICTIONAL jurisdictions, Demonstria
(XA) and Exemplaria (XB), in English and Arabic (the other languages fall back, saying so),
their treaty statuses from curriculum/status.yaml, a national partner for Demonstria and the
moderation workflow partners submit to.

No real State's law is described here: FACTS.md gives none. Every text says it is fictional.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from wagtail.models import GroupApprovalTask, Workflow, WorkflowContentType, WorkflowTask

from courses.countries import store_statuses
from courses.curriculum.facts import Facts
from courses.curriculum.source import DEFAULT_ROOT
from courses.demo_content import T
from courses.models import LessonPage
from courses.models.countries import CountryNote, CountryProfile, NationalPartner

FICTIONAL = T(
    "Fictional jurisdiction, for demonstration only: this is not the law of any real State.",
    "Juridiction fictive, pour la démonstration : il ne s’agit du droit d’aucun État réel.",
    "ولاية قضائية خيالية لأغراض العرض فقط: لا يمثل هذا قانون أي دولة حقيقية.",
)

# (country, lesson slug, text, provisions): each note at the top of its lesson.
NOTES = [
    (
        "XA",
        "three-kinds-of-data",
        T(
            "In Demonstria, the Code of Digital Procedure uses the same three categories, "
            "but calls subscriber information “account data”. [[country-status budapest-party]]",
            "",
            "في ديمونستريا، يستخدم قانون الإجراءات الرقمية الفئات الثلاث نفسها، لكنه يسمي "
            "معلومات المشترك «بيانات الحساب». [[country-status budapest-party]]",
        ),
        ["Code of Digital Procedure (Demonstria, fictional), s. 4"],
    ),
    (
        "XA",
        "expedited-preservation",
        T(
            "In Demonstria, a preservation order is made by a prosecutor and lasts 60 days, "
            "renewable once by a judge.",
            "",
            "في ديمونستريا، يصدر أمر التحفظ عن عضو النيابة العامة ويسري 60 يوماً، ويجوز "
            "للقاضي تجديده مرة واحدة.",
        ),
        ["Code of Digital Procedure (Demonstria, fictional), s. 17"],
    ),
    (
        "XB",
        "expedited-preservation",
        T(
            "In Exemplaria, only an investigating judge may order preservation, within 48 hours "
            "of a police request.",
            "",
            "في إكزمبلاريا، لا يجوز الأمر بالتحفظ إلا لقاضي التحقيق، خلال 48 ساعة من طلب الشرطة.",
        ),
        ["Criminal Procedure Act (Exemplaria, fictional), art. 88"],
    ),
]

PROFILES = {
    "XA": T(
        "Demonstria is an invented State used to show how country notes work.",
        "",
        "ديمونستريا دولة مختلقة تُستخدم لبيان طريقة عمل الملاحظات القُطرية.",
    ),
    "XB": T(
        "Exemplaria is an invented State used to show how country notes work.",
        "",
        "إكزمبلاريا دولة مختلقة تُستخدم لبيان طريقة عمل الملاحظات القُطرية.",
    ),
}
REVIEWER = "Demo reviewer (fictional)"
REVIEWED_ON = date(2026, 1, 15)
PARTNER_EMAIL = "partner@example.org"


def paragraph(*texts):
    return "".join(f"<p>{text}</p>" for text in texts if text)


def publish_in_en_and_ar(item, field, locales, arabic_html):
    """Publish the English item, then its Arabic translation with its own text."""
    item.save()
    item.save_revision().publish()
    arabic = item.copy_for_translation(locales["ar"])
    setattr(arabic, field, arabic_html)
    arabic.save()
    arabic.save_revision().publish()


def ensure_country_content(locales, created):
    """Notes and profiles for the fictional jurisdictions, their statuses, the workflow."""
    store_statuses(Facts.load(DEFAULT_ROOT))
    english = locales["en"]
    lessons = {
        lesson.slug: lesson
        for lesson in LessonPage.objects.filter(locale=english, slug__in={n[1] for n in NOTES})
    }
    for country, slug, text, provisions in NOTES:
        lesson = lessons.get(slug)
        if lesson is None or CountryNote.objects.filter(country=country, lesson=lesson).exists():
            continue
        note = CountryNote(
            country=country,
            lesson=lesson,
            locale=english,
            text=paragraph(text.en, FICTIONAL.en),
            provisions=[
                {"type": "provision", "value": {"citation": p, "link": ""}} for p in provisions
            ],
            reviewer=REVIEWER,
            reviewed_on=REVIEWED_ON,
        )
        publish_in_en_and_ar(note, "text", locales, paragraph(text.ar, FICTIONAL.ar))
        created.append(f"country note {country} on {slug} (en, ar)")
    for country, summary in PROFILES.items():
        if CountryProfile.objects.filter(country=country).exists():
            continue
        profile = CountryProfile(
            country=country, locale=english, summary=paragraph(summary.en, FICTIONAL.en)
        )
        publish_in_en_and_ar(profile, "summary", locales, paragraph(summary.ar, FICTIONAL.ar))
        created.append(f"country profile {country} (en, ar)")
    ensure_moderation()
    ensure_partner(created)


def ensure_moderation():
    """Partners submit notes and profiles to moderators, who publish them."""
    moderators, _created = Group.objects.get_or_create(name="Moderators")
    workflow, made = Workflow.objects.get_or_create(name="Country content moderation")
    if made:
        task = GroupApprovalTask.objects.create(name="Moderators approve")
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    for model in (CountryNote, CountryProfile):
        WorkflowContentType.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(model), defaults={"workflow": workflow}
        )


def ensure_partner(created):
    """A national partner for Demonstria: writes its notes, never publishes them."""
    group, _created = Group.objects.get_or_create(name="National partners")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=["edit_country_content", "access_admin"],
            content_type__app_label__in=["courses", "wagtailadmin"],
        )
    )
    user = get_user_model().objects.get(email=PARTNER_EMAIL)  # a demo account (demo.py)
    user.groups.add(group)
    _partner, made = NationalPartner.objects.get_or_create(
        user=user, defaults={"countries": ["XA"]}
    )
    if made:
        created.append(f"national partner {PARTNER_EMAIL} for Demonstria")
