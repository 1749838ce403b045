"""Each person's copy of their data: built by a task, kept a day, then removed."""

import datetime

from django.utils import timezone

from .models import DataExport

EXPORT_LIFETIME = datetime.timedelta(days=1)


def data_exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the files of copies older than EXPORT_LIFETIME; the log rows stay."""
    now = now or timezone.now()
    expired = list(DataExport.objects.filter(status=DataExport.Status.DONE, expires_at__lte=now))
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, file="")
    return len(expired)
