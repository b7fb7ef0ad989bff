"""Accounts (companies, with a parent/child hierarchy) and the contacts who work there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rapport.core.models import BaseModel, SoftDeleteModel
from rapport.core.picklists import PicklistField


class PostalAddress(models.Model):
    """A postal address in the fields every country's post understands."""

    street = models.CharField(
        _("street"), max_length=255, blank=True, help_text=_("Street and number, one line.")
    )
    city = models.CharField(_("city"), max_length=100, blank=True, help_text=_("Town or city."))
    postal_code = models.CharField(
        _("postal code"), max_length=20, blank=True, help_text=_("ZIP or postal code.")
    )
    region = models.CharField(
        _("region"), max_length=100, blank=True, help_text=_("State, province or county.")
    )
    country = CountryField(_("country"), blank=True, help_text=_("The country (ISO 3166 code)."))

    class Meta:
        abstract = True


class Account(SoftDeleteModel, BaseModel, PostalAddress):
    """A company we sell to or work with; may belong to a parent company."""

    name = models.CharField(
        _("name"), max_length=255, db_index=True, help_text=_("The company's trading name.")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent account"),
        help_text=_("The company this one belongs to (a subsidiary's group or holding)."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="accounts",
        verbose_name=_("owner"),
        help_text=_("The person responsible for the account."),
    )
    industry = PicklistField(
        "industry",
        null=True,
        blank=True,
        verbose_name=_("industry"),
        help_text=_("The company's main business."),
    )
    website = models.URLField(_("website"), blank=True, help_text=_("The company's web site."))
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, help_text=_("The switchboard number.")
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, help_text=_("How many people the company employs.")
    )
    annual_revenue = models.DecimalField(
        _("annual revenue"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Yearly revenue, in the company's reporting currency."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the company does and why it matters to us.")
    )

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            models.Index(fields=["owner", "name"], name="customers_account_owner_idx"),
            models.Index(fields=["updated_at"], name="customers_account_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(SoftDeleteModel, BaseModel, PostalAddress):
    """A person at an account (or, before we know their company, on their own)."""

    first_name = models.CharField(
        _("first name"), max_length=100, blank=True, help_text=_("Given name.")
    )
    last_name = models.CharField(_("last name"), max_length=100, help_text=_("Family name."))
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("account"),
        help_text=_("The company the person works for."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("owner"),
        help_text=_("The person responsible for the relationship."),
    )
    job_title = models.CharField(
        _("job title"), max_length=150, blank=True, help_text=_("The title as the person uses it.")
    )
    title_level = PicklistField(
        "title_level",
        null=True,
        blank=True,
        verbose_name=_("title level"),
        help_text=_("How senior the person is (C-level, VP, …), whatever the title says."),
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("Work e-mail address."))
    secondary_email = models.EmailField(
        _("secondary email"), blank=True, help_text=_("Another address, e.g. a personal one.")
    )
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, help_text=_("Direct office number.")
    )
    mobile = models.CharField(_("mobile"), max_length=32, blank=True, help_text=_("Mobile number."))
    birthdate = models.DateField(
        _("birthdate"),
        null=True,
        blank=True,
        help_text=_("Date of birth, when the person shared it."),
    )
    do_not_contact = models.BooleanField(
        _("do not contact"),
        default=False,
        help_text=_("The person asked not to be contacted; no calls, e-mails or campaigns."),
    )
    left_company = models.BooleanField(
        _("left the company"),
        default=False,
        help_text=_("The person no longer works at the account; kept for history."),
    )
    description = models.TextField(
        _("notes"), blank=True, help_text=_("What to know about the person.")
    )

    class Meta:
        ordering = ("last_name", "first_name", "id")
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(
                fields=["last_name", "first_name", "id"], name="customers_contact_name_idx"
            ),
            models.Index(fields=["owner", "last_name"], name="customers_contact_owner_idx"),
            models.Index(fields=["email"], name="customers_contact_email_idx"),
            models.Index(fields=["updated_at"], name="customers_contact_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
