from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import User
from operators.models import MembershipRole, Operator, OperatorMembership, Territory
from operators.services import operator_search_text

PASSWORD = "a-long-test-password-42"
# The authenticator app's secret of the test personas that have one (base32).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_authenticator(user, secret: str = TOTP_SECRET):
    """Give `user` an authenticator app (allauth.mfa), as if they had set it up."""
    return TOTP.activate(user, secret).instance


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="fr_BE")
    language = "fr"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.get_or_create(user=obj, email=obj.email, defaults={"verified": True, "primary": True})

    @factory.post_generation
    def coordinator(obj, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=settings.COORDINATORS_GROUP)
            obj.groups.add(group)


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Territoire {n}")
    slug = factory.Sequence(lambda n: f"territoire-{n}")
    kind = Territory.Kind.PROVINCE


class OperatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operator
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Opérateur {n}")
    short_name = factory.Sequence(lambda n: f"Op{n}")
    slug = factory.Sequence(lambda n: f"operateur-{n}")
    kind = Operator.Kind.MOBILE_TEAM_ADULTS
    territory = factory.SubFactory(TerritoryFactory)
    city = "Namur"
    description = "Équipe d'intervention à domicile."

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        if create:
            obj.search_text = operator_search_text(obj)
            obj.save(update_fields=["search_text"])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OperatorMembership

    user = factory.SubFactory(UserFactory)
    operator = factory.SubFactory(OperatorFactory)
    role = MembershipRole.MEMBER


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Series"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Visioconférence hebdomadaire {n}")
    kind = "crisis_video"
    default_duration = 60


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Session"

    series = factory.SubFactory(SeriesFactory)
    starts_at = factory.LazyFunction(lambda: _now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    mode = "video"


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration in play (registered), to the whole series unless a session is given."""

    class Meta:
        model = "registrations.Registration"

    series = factory.SubFactory(SeriesFactory)
    session = None
    user = factory.SubFactory(UserFactory)
    organisation_name = "Maison médicale du Nord"
    profession = "Assistante sociale"
    status = "registered"
    status_changed_at = factory.LazyFunction(lambda: _now())


def _now():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)
