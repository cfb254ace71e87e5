"""Evaluations lose their link to the person: the participant row records that they answered
(so the once-only rule holds) and the answer keeps the workshop and the day only."""

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def unlink_answers(apps, schema_editor):
    """Mark every participant who answered, and keep only the day of each answer."""
    Participant = apps.get_model("courses", "Participant")
    SurveyResponse = apps.get_model("courses", "SurveyResponse")
    for workshop_id, user_id in SurveyResponse.objects.values_list("workshop_id", "user_id"):
        Participant.objects.filter(workshop_id=workshop_id, user_id=user_id).update(evaluated=True)
    for response in SurveyResponse.objects.only("pk", "submitted_at").iterator():
        SurveyResponse.objects.filter(pk=response.pk).update(
            submitted_on=timezone.localdate(response.submitted_at)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_workshop_consent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="participant",
            name="evaluated",
            field=models.BooleanField(default=False, verbose_name="sent the evaluation"),
        ),
        migrations.AddField(
            model_name="surveyresponse",
            name="submitted_on",
            field=models.DateField(default=timezone.localdate),
        ),
        # Nullable first so that going back re-creates the column; the links themselves are
        # gone for good.
        migrations.AlterField(
            model_name="surveyresponse",
            name="user",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(unlink_answers, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="surveyresponse", name="one_evaluation_each"),
        migrations.RemoveField(model_name="surveyresponse", name="user"),
        migrations.RemoveField(model_name="surveyresponse", name="submitted_at"),
    ]
