from ..models import AuditEntry


def log_action(article, action, *, user=None, note="", from_status="", to_status="", data=None):
    """Write one namespaced audit entry ("articles.published") for `article`."""
    return AuditEntry.objects.create(
        article=article,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        note=note,
        from_status=from_status,
        to_status=to_status,
        data=data or {},
    )
