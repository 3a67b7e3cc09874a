"""Quiz attempts without issued tokens: numbered, unique per learner and quiz (separate from 0002,
so PostgreSQL alters the table after the data migration's updates are committed)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_study_time_attempt_grants")]

    operations = [
        migrations.RemoveIndex(model_name="quizattempt", name="courses_qui_enrolme_359252_idx"),
        migrations.RemoveField(model_name="quizattempt", name="token"),
        migrations.RemoveField(model_name="quizattempt", name="issued_at"),
        migrations.AlterField(
            model_name="quizattempt",
            name="submitted_at",
            field=models.DateTimeField(verbose_name="submitted at"),
        ),
        migrations.AddConstraint(
            model_name="quizattempt",
            constraint=models.UniqueConstraint(fields=("enrolment", "quiz", "number"), name="one_attempt_per_number"),
        ),
    ]
