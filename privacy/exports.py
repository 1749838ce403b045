"""Each person's copy of their data: built by a task, kept a day, then removed."""

import csv
import datetime
import io
import json
import logging
import uuid
import zipfile
from decimal import Decimal

from django.apps import apps
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone

from core.services import audit_record
from core.spreadsheets import cell_safe

from .models import DataExport
from .registry import HOLDERS

logger = logging.getLogger(__name__)

EXPORT_LIFETIME = datetime.timedelta(days=1)


def data_exports_expired(now: datetime.datetime):
    """The finished copies whose day is over (their files are still on disk)."""
    return DataExport.objects.filter(status=DataExport.Status.DONE, expires_at__lte=now)


def data_exports_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the files of copies older than EXPORT_LIFETIME; the log rows stay."""
    now = now or timezone.now()
    expired = list(data_exports_expired(now))
    for export in expired:
        if export.file:
            export.file.delete(save=False)
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, file="")
    return len(expired)


PROFILE_FIELDS = ("name", "email", "language", "date_joined", "last_login", "notifications_off", "digest_weekday")
EXPORT_STALE = datetime.timedelta(minutes=15)


def _plain(value):
    """A value as JSON and CSV write it: dates in ISO 8601, the rest as it is."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def person_data(user) -> dict[str, list[dict]]:
    """Everything Carrefour holds about `user`, by table: their profile, then
    every model of privacy.registry, the rows that name them."""
    tables = {"profile": [{name: _plain(getattr(user, name)) for name in PROFILE_FIELDS}]}
    for label, holder in HOLDERS.items():
        if not holder.export:
            continue
        model = apps.get_model(label)
        names_them = Q()
        for field in holder.fields:
            names_them |= Q(**{field: user})
        rows = model.objects.filter(names_them).distinct().order_by("pk").values("pk", *holder.export)
        tables[label] = [{key: _plain(value) for key, value in row.items()} for row in rows]
    return tables


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: cell_safe(json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v)
                    for k, v in row.items()
                }
            )
    return "\ufeff" + out.getvalue()


def person_data_zip(user) -> bytes:
    """The ZIP of a person's copy: one JSON file with everything, and a CSV per table."""
    tables = person_data(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("carrefour.json", json.dumps(tables, ensure_ascii=False, indent=2))
        for name, rows in tables.items():
            archive.writestr(f"csv/{name}.csv", _csv(rows))
    return buffer.getvalue()


def data_export_run(*, export_id: int) -> str:
    """Build the ZIP of a copy; safe to run twice (the row is claimed first).
    Guarantees: the copy ends done with its file (kept EXPORT_LIFETIME) or failed."""
    now = timezone.now()
    claimed = DataExport.objects.filter(
        Q(status=DataExport.Status.PENDING) | Q(status=DataExport.Status.RUNNING, started_at__lt=now - EXPORT_STALE),
        pk=export_id,
    ).update(status=DataExport.Status.RUNNING, started_at=now, progress=10)
    if not claimed:
        return "skipped"
    export = DataExport.objects.select_related("user").get(pk=export_id)
    try:
        content = person_data_zip(export.user)
        export.file.save(f"{export.public_id}.zip", ContentFile(content), save=False)
    except Exception:  # any failure ends this copy, visibly, and no other
        logger.exception("Copy of personal data %s could not be built", export_id)
        DataExport.objects.filter(pk=export_id).update(status=DataExport.Status.FAILED, finished_at=timezone.now())
        return "failed"
    done = timezone.now()
    DataExport.objects.filter(pk=export_id).update(
        status=DataExport.Status.DONE,
        progress=100,
        file=export.file.name,
        finished_at=done,
        expires_at=done + EXPORT_LIFETIME,
    )
    return "done"


def data_export_open(*, export: DataExport, actor):
    """The file of a finished copy, open for reading, the download logged; None when it is gone."""
    if export.status != DataExport.Status.DONE or not export.file:
        return None
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        DataExport.objects.filter(pk=export.pk).update(status=DataExport.Status.EXPIRED, file="")
        return None
    DataExport.objects.filter(pk=export.pk).update(downloaded_at=timezone.now())
    audit_record(actor=actor, action="data.export_download", obj=export)
    return handle
