from .models import RetentionNotice


def retention_notice_clear(sender, request, user, **kwargs):
    """A person who signs in is no longer inactive: the way to erasure starts over."""
    RetentionNotice.objects.filter(user=user).delete()
