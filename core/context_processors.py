def navigation(request):
    """What the navigation bar needs to know about the person."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_can_invite": user.has_perm("accounts.invite_people"),
        "nav_is_admin": user.is_superuser,
    }
