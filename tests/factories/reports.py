import factory
from factory.django import DjangoModelFactory

from tracking.models import ExportJob, Notification

from .accounts import UserFactory


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = Notification.Kind.PACE_REMINDER
    period = factory.Sequence(lambda n: f"2026-{n:04d}")
    title = "培训进度提醒"
    message = "请按计划完成培训。"


class ExportJobFactory(DjangoModelFactory):
    class Meta:
        model = ExportJob

    user = factory.SubFactory(UserFactory)
    report = "completion"
    params = factory.LazyFunction(dict)
    format = ExportJob.Format.XLSX
