"""The guard as a form validator: a refused text raises a ValidationError that
names each flagged passage and why, next to the field. A form that shows the
passages highlighted (templates/anonymisation/findings.html) calls
`anonymisation.guard.check` and `presentation.findings_context` itself."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from .guard import check


def guard_text(text: str, *, extra_names: Iterable[str] = ()) -> None:
    findings = check(text, extra_names=extra_names)
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


@deconstructible
class GuardValidator:
    """`guard_text` with names the form knows of (e.g. the series' participants)."""

    def __init__(self, extra_names: Iterable[str] = ()):
        self.extra_names = tuple(extra_names)

    def __call__(self, text: str) -> None:
        guard_text(text, extra_names=self.extra_names)

    def __eq__(self, other):
        return isinstance(other, GuardValidator) and other.extra_names == self.extra_names
