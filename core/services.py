import logging

from .models import AuditEvent

audit_logger = logging.getLogger("carrefour.audit")


def audit_record(*, actor, action: str, obj=None, detail: dict | None = None) -> AuditEvent:
    """Record a sensitive act in the audit trail and the audit log.

    `detail` must hold identifiers and counts only, never personal or
    clinical content: it is written to the log as it is.
    """
    event = AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail or {},
    )
    audit_logger.info(
        "action=%s actor=%s object=%s:%s detail=%s",
        action,
        event.actor_id,
        event.object_type,
        event.object_id,
        event.detail,
    )
    return event
