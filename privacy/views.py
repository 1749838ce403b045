from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from . import notice as privacy_notice


def notice(request):
    """The privacy notice: public, in the reader's language."""
    context = {
        "text": privacy_notice.notice_text(get_language()),
        "controller": settings.PRIVACY_CONTROLLER,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
        "purposes": privacy_notice.purposes(),
        "retention": privacy_notice.retention_rows(),
    }
    return render(request, "privacy/notice.html", context)
