"""Which account an email address belongs to: only an address its holder has verified.

Anyone can type someone else's address into their account as an unverified one. If that
counted, the owner could no longer sign up, a password reset for the address would reset
the other account and rosters would match it. So sign-up, password reset and rosters look
only at verified addresses, and once someone verifies an address, the unverified copies
other accounts hold of it are removed.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from allauth.account.models import EmailAddress


def verified_owner(email):
    """The account that has verified this address, or None (at most one can)."""
    address = (
        EmailAddress.objects.filter(email__iexact=email.strip(), verified=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


@receiver(post_save, sender=EmailAddress, dispatch_uid="courses.addresses.release")
def release_unverified_copies(sender, instance, **kwargs):
    """Once an address is verified, other accounts' unverified claims to it go; an account
    whose own email field held it keeps no trace of it there either."""
    if not instance.verified:
        return
    copies = EmailAddress.objects.filter(email__iexact=instance.email, verified=False).exclude(
        user_id=instance.user_id
    )
    holders = list(copies.values_list("user_id", flat=True))
    if not holders:
        return
    copies.delete()
    get_user_model().objects.filter(pk__in=holders, email__iexact=instance.email).update(email="")
