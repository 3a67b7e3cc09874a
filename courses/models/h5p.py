"""H5P interactive content: installed libraries, uploaded packages, learners' statements,
results and saved state.

Files live in private storage (PRIVATE_MEDIA_ROOT/h5p/): `libraries/<Machine>-<major>.<minor>/`
shared by every package (one copy per major.minor; a higher patch replaces it) and
`content/<id>/` with the package's h5p.json and content folder. They are served only by
`courses.h5p.views`, which checks who may see the content and sets the content type.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.core.storage import private_storage


class H5PLibrary(models.Model):
    machine_name = models.CharField(_("machine name"), max_length=127)
    major_version = models.PositiveIntegerField(_("major version"))
    minor_version = models.PositiveIntegerField(_("minor version"))
    patch_version = models.PositiveIntegerField(_("patch version"))
    title = models.CharField(_("title"), max_length=255)
    runnable = models.BooleanField(_("runnable"), default=False)
    metadata = models.JSONField(_("library.json"), default=dict)
    installed_at = models.DateTimeField(_("installed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("H5P library")
        verbose_name_plural = _("H5P libraries")
        ordering = ["machine_name", "major_version", "minor_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="h5p_library_once_per_minor"
            )
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.version}"

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"

    @property
    def version(self) -> str:
        return f"{self.major_version}.{self.minor_version}.{self.patch_version}"


class H5PContent(models.Model):
    """An uploaded H5P package (a snippet). Replacing the package keeps the row, so learners'
    results, statements and saved state stay attached to it."""

    title = models.CharField(_("title"), max_length=255)
    package = models.FileField(
        _("H5P package (.h5p)"),
        upload_to="h5p/packages/",
        storage=private_storage,
        help_text=_(
            "An .h5p file exported with its libraries (Lumi, h5p.org, Moodle). It is checked before it is stored."
        ),
    )
    main_library = models.ForeignKey(
        H5PLibrary, verbose_name=_("main library"), on_delete=models.PROTECT, related_name="main_of", null=True
    )
    libraries = models.ManyToManyField(H5PLibrary, verbose_name=_("libraries used"), related_name="contents")
    metadata = models.JSONField(_("h5p.json"), default=dict)
    package_sha256 = models.CharField(max_length=64, blank=True)
    package_bytes = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("H5P content")
        verbose_name_plural = _("H5P content")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def storage_dir(self) -> str:
        return f"h5p/content/{self.pk}"


class H5PStatement(models.Model):
    """One xAPI statement as received (validated), kept for reporting. Idempotent by id."""

    statement_id = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="statements")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verb = models.CharField(max_length=32)
    sub_content = models.BooleanField(default=False)
    score_raw = models.FloatField(null=True)
    score_max = models.FloatField(null=True)
    scaled = models.FloatField(null=True)
    digest = models.CharField(max_length=64)
    statement = models.JSONField()
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "content"], name="h5p_statement_user_content")]

    def __str__(self) -> str:
        return str(self.statement_id)


class H5PResult(models.Model):
    """A learner's best result for one H5P block of a lesson: what the lesson requirement reads."""

    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.CASCADE, related_name="h5p_results")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="results")
    best_scaled = models.FloatField(null=True)
    statements = models.PositiveIntegerField(default=0)
    passed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson", "content"], name="h5p_result_once_per_block")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} · {self.lesson_id} · {self.content_id}"

    @property
    def best_percent(self) -> int | None:
        return None if self.best_scaled is None else round(self.best_scaled * 100)


class H5PUserData(models.Model):
    """The player's saved state (contentUserData), restored on any device the learner uses."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="user_data")
    data_type = models.CharField(max_length=64, default="state")
    sub_content_id = models.CharField(max_length=64, default="0")
    data = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "content", "data_type", "sub_content_id"], name="h5p_user_data_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.content_id} · {self.data_type}"
