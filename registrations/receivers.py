"""A sign-up made through a registration page ends when the email address
is verified: the registration waiting for it then takes its place."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services import registrations_verify


@receiver(email_confirmed, dispatch_uid="registrations_verify")
def _registrations_verify(sender, request, email_address, **kwargs):
    registrations_verify(user=email_address.user)
