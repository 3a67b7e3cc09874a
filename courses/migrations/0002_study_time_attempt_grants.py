"""Study time measured on the server, signed quiz attempt tokens, extra attempts granted by coordinators.

- Courses' minimum study time becomes "derived from the credit hours" when it was 0 (the
  time requirement is on by default); lessons may set their own minimum.
- Certificates carry the issuing authority, the training year and the teacher's school.
- Quiz attempts are rows only once submitted, numbered 1, 2, 3 … per learner and quiz
  (unique), so a replayed form cannot add one; issued-but-unsubmitted rows are dropped.
"""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def number_attempts(apps, schema_editor):
    QuizAttempt = apps.get_model("courses", "QuizAttempt")
    QuizAttempt.objects.filter(submitted_at__isnull=True).delete()
    counters = {}
    for attempt in QuizAttempt.objects.order_by("submitted_at", "id"):
        key = (attempt.enrolment_id, attempt.quiz_id)
        counters[key] = counters.get(key, 0) + 1
        attempt.number = counters[key]
        attempt.save(update_fields=["number"])


def derive_minimum_study_time(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    CoursePage.objects.filter(minimum_minutes=0).update(minimum_minutes=None)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="learner_name",
            field=models.CharField(max_length=64, verbose_name="full name"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="school_name",
            field=models.CharField(blank=True, max_length=128, verbose_name="school"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="training_year",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="training year"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="issuer",
            field=models.CharField(blank=True, max_length=120, verbose_name="issuing authority"),
        ),
        migrations.AddField(
            model_name="quiz",
            name="show_answers",
            field=models.BooleanField(
                default=False,
                help_text="Learners always see which questions they got wrong; tick this to show the right options too.",
                verbose_name="show the correct answers after a failed attempt",
            ),
        ),
        migrations.AddField(
            model_name="lessonprogress",
            name="video_seconds",
            field=models.PositiveIntegerField(default=0, verbose_name="video seconds watched"),
        ),
        migrations.AddField(
            model_name="lessonpage",
            name="minimum_minutes",
            field=models.PositiveSmallIntegerField(
                blank=True,
                null=True,
                help_text="Empty: this lesson's share of the course's minimum study time (by estimated minutes). "
                "0: no time requirement for this lesson.",
                verbose_name="minimum study time (minutes)",
            ),
        ),
        migrations.AlterField(
            model_name="coursepage",
            name="minimum_minutes",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                help_text="Engaged time in the lessons before the hours are credited, shared among the required "
                "lessons. Empty: 45 minutes per credit hour. 0: no time requirement.",
                verbose_name="minimum study time (minutes)",
            ),
        ),
        migrations.RunPython(derive_minimum_study_time, migrations.RunPython.noop),
        migrations.CreateModel(
            name="StudyClock",
            fields=[
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("last_event_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={"verbose_name": "study clock", "verbose_name_plural": "study clocks"},
        ),
        migrations.CreateModel(
            name="QuizAttemptGrant",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "extra_attempts",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(10),
                        ],
                        verbose_name="extra attempts",
                    ),
                ),
                ("reason", models.CharField(max_length=200, verbose_name="reason")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="time")),
                (
                    "enrolment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempt_grants",
                        to="courses.enrolment",
                    ),
                ),
                (
                    "granted_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="granted by",
                    ),
                ),
                (
                    "quiz",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="grants",
                        to="courses.quiz",
                        verbose_name="quiz",
                    ),
                ),
            ],
            options={
                "verbose_name": "extra quiz attempts",
                "verbose_name_plural": "extra quiz attempts",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.AddField(
            model_name="quizattempt",
            name="number",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempt number"),
            preserve_default=False,
        ),
        migrations.RunPython(number_attempts, migrations.RunPython.noop),
    ]
