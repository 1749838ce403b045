"""The guard as a form validator: a refused text raises a ValidationError that
names each flagged passage and why, next to the field."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .guard import check


def guard_text(text: str) -> None:
    findings = check(text)
    if findings:
        raise ValidationError(
            [
                ValidationError(
                    _("“%(passage)s”: %(reason)s"),
                    code="identifying",
                    params={"passage": f.passage(text), "reason": f.message},
                )
                for f in findings
            ]
        )
