"""Background tasks of 工伤医疗 (django-tasks finds them by this import path)."""

from django_tasks import task


@task()
def remind_referral_replacements() -> int:
    """Daily: remind each worker (SMS, no medical content) 30 days before a device may be replaced,
    once. Returns how many reminders were written."""
    from .services.referrals import referral_remind_due

    return referral_remind_due()
