"""Building, serving and purging the evaluation exports: what the export task and
the download run. A job is asked for in `services.export_request`."""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone, translation

from meetings.models import Series

from .exporters import exporter_for
from .exporters.document import export_document
from .models import Evaluation, ExportJob

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = datetime.timedelta(days=1)
# A job a dead worker left running is claimed again after this long.
EXPORT_STALE = datetime.timedelta(minutes=15)


def evaluation_export_pdf(*, series: Series, evaluation: Evaluation | None = None) -> bytes:
    """The PDF of the series' evaluation (its latest version when none is given).

    The benchmark times this; the export task calls it through the exporters.
    """
    if evaluation is None:
        evaluation = Evaluation.objects.filter(series=series).order_by("-version").first()
    return exporter_for(ExportJob.Format.PDF)(export_document(series, evaluation)).render()


def _claim(job_id: int, now) -> bool:
    return bool(
        ExportJob.objects.filter(
            Q(status=ExportJob.Status.PENDING) | Q(status=ExportJob.Status.RUNNING, started_at__lt=now - EXPORT_STALE),
            pk=job_id,
        ).update(status=ExportJob.Status.RUNNING, started_at=now, progress=5)
    )


def _export_fail(job_id: int, failure: str, exc: Exception) -> str:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.FAILED,
        finished_at=timezone.now(),
        failure=failure,
        error=f"{type(exc).__name__}: {exc}"[:300],
    )
    return "failed"


def export_run(*, job_id: int) -> str:
    """Build the file of an export job; safe to run twice (the job is claimed first).

    Guarantees: the progress moves from 5 to 100; a job ends done with its
    file (kept EXPORT_LIFETIME) or failed with the reason (`failure`, shown
    to the person) and its technical cause (`error`, for administrators); a
    claimed job is never built twice at once.
    """
    now = timezone.now()
    if not _claim(job_id, now):
        return "skipped"
    job = ExportJob.objects.select_related("evaluation__series", "requested_by").get(pk=job_id)
    language = job.requested_by.language if job.requested_by else settings.LANGUAGE_CODE

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=min(max(percent, 5), 99))

    try:
        # The file reads in the language of the person who asked for it (headings, numbers, dates).
        with translation.override(language):
            document = export_document(job.evaluation.series, job.evaluation)
            progress(30)
            exporter = exporter_for(job.format)(document)
            content = exporter.render(progress=progress)
    except Exception as exc:  # any bug of an exporter ends this job, visibly, and no other
        logger.exception("Export %s could not be built", job_id)
        return _export_fail(job_id, ExportJob.Failure.BUILD, exc)
    try:
        job.file.save(f"{job.public_id}.{exporter.extension}", ContentFile(content), save=False)
    except OSError as exc:
        logger.exception("Export %s could not be saved", job_id)
        return _export_fail(job_id, ExportJob.Failure.STORAGE, exc)
    done = timezone.now()
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        progress=100,
        file=job.file.name,
        finished_at=done,
        expires_at=done + EXPORT_LIFETIME,
    )
    return "done"


def export_file_open(*, job: ExportJob):
    """The file of a finished export, open for reading; None when it is gone.

    A file can go before its time (a disk restored from a backup, a folder
    cleaned by hand): the job is then marked removed, as the purge would.
    """
    if job.status != ExportJob.Status.DONE or not job.file:
        return None
    try:
        return job.file.open("rb")
    except FileNotFoundError:
        logger.warning("Export %s: its file %s is gone", job.pk, job.file.name)
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.DONE).update(
            status=ExportJob.Status.EXPIRED, file=""
        )
        job.status, job.file = ExportJob.Status.EXPIRED, None
        return None


def exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the files of exports older than EXPORT_LIFETIME; the log rows stay."""
    now = now or timezone.now()
    expired = list(ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now))
    for job in expired:
        if job.file:
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.EXPIRED, file="")
    return len(expired)
