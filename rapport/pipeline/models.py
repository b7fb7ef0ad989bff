"""The pipeline: stages and their methodology steps, opportunities, products and price lists,
line items, and the orders won opportunities become."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.core.models import AliveManager, BaseModel, SoftDeleteModel, SoftDeleteQuerySet
from rapport.core.picklists import PicklistField

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class StageQuerySet(models.QuerySet["Stage"]):
    def active(self) -> StageQuerySet:
        """Stages new deals may enter (retired ones stay on old deals)."""
        return self.filter(is_active=True)

    def open(self) -> StageQuerySet:
        """Stages in the pipeline: neither won nor lost."""
        return self.filter(kind=Stage.Kind.OPEN)

    def closed(self) -> StageQuerySet:
        """Won and lost stages."""
        return self.exclude(kind=Stage.Kind.OPEN)


class Stage(BaseModel):
    """A step of the sales process an opportunity moves through, in order."""

    class Kind(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    key = models.SlugField(
        _("key"),
        max_length=64,
        unique=True,
        help_text=_("Stable identifier used by code and imports."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The internal name, e.g. 'Discovery'.")
    )
    customer_label = models.CharField(
        _("customer-facing label"),
        max_length=100,
        blank=True,
        help_text=_("What the customer is doing at this stage, e.g. 'Researching'."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=8,
        choices=Kind.choices,
        default=Kind.OPEN,
        help_text=_("Open stages are in the pipeline; won and lost stages close the opportunity."),
    )
    probability = models.PositiveSmallIntegerField(
        _("probability"),
        validators=PERCENT,
        help_text=_("Default chance of winning, in percent, for opportunities at this stage."),
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Position in the pipeline, lowest first.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired stages stay on old opportunities.")
    )
    description = models.TextField(
        _("definition"), blank=True, help_text=_("What must be true for a deal to be here.")
    )
    required_fields = models.JSONField(
        _("fields required to enter"),
        default=list,
        blank=True,
        help_text=_("Opportunity fields that must be filled before a deal may enter this stage."),
    )

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ("sort_order", "id")
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self) -> str:
        return self.name


class MethodologyStep(BaseModel):
    """Something a rep does at a stage (send proposal, run a demo, …), with a due time."""

    stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        related_name="steps",
        verbose_name=_("stage"),
        help_text=_("The stage at which the step is done."),
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("What to do, e.g. 'Run a demo'.")
    )
    description = models.TextField(
        _("guidance"), blank=True, help_text=_("How to do it well, shown to the rep.")
    )
    due_in_days = models.PositiveSmallIntegerField(
        _("due in days"),
        default=3,
        help_text=_(
            "Days after it is prompted (entering the stage, or the step before) it is due."
        ),
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Order within the stage, lowest first.")
    )
    is_required = models.BooleanField(
        _("required to advance"),
        default=True,
        help_text=_("A stage gate: the step must be done before the deal leaves the stage."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired steps are no longer prompted.")
    )

    class Meta:
        ordering = ("stage__sort_order", "sort_order", "id")
        verbose_name = _("methodology step")
        verbose_name_plural = _("methodology steps")

    def __str__(self) -> str:
        return self.name


class Product(SoftDeleteModel, BaseModel):
    """Something we sell."""

    name = models.CharField(_("name"), max_length=200, help_text=_("The product's name."))
    code = models.CharField(
        _("code"), max_length=64, unique=True, help_text=_("The product code (SKU), unique.")
    )
    family = PicklistField(
        "product_family",
        null=True,
        blank=True,
        verbose_name=_("family"),
        help_text=_("The product family, for price lists and reports."),
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the customer gets.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired products can no longer be sold.")
    )

    class Meta:
        ordering = ("name", "id")
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class PriceList(BaseModel):
    """Prices for products in one currency."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("e.g. 'Standard EUR'.")
    )
    currency = PicklistField(
        "currency", verbose_name=_("currency"), help_text=_("The currency of every price in it.")
    )
    is_default = models.BooleanField(
        _("default"),
        default=False,
        help_text=_("Used for new opportunities in its currency unless another is chosen."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired lists are kept.")
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")

    def __str__(self) -> str:
        return self.name


class PriceListEntry(models.Model):
    """One product's price on one price list."""

    price_list = models.ForeignKey(
        PriceList,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("price list"),
        help_text=_("The list the price belongs to."),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="prices",
        verbose_name=_("product"),
        help_text=_("The product priced."),
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Price of one unit, in the list's currency."),
    )

    class Meta:
        ordering = ("price_list", "product__name")
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product"], name="pipeline_price_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.unit_price}"


class OpportunityQuerySet(SoftDeleteQuerySet["Opportunity"]):
    def open(self) -> OpportunityQuerySet:
        """Opportunities whose stage is neither won nor lost."""
        return self.filter(stage__kind=Stage.Kind.OPEN)

    def won(self) -> OpportunityQuerySet:
        """Opportunities closed as won."""
        return self.filter(stage__kind=Stage.Kind.WON)

    def lost(self) -> OpportunityQuerySet:
        """Opportunities closed as lost."""
        return self.filter(stage__kind=Stage.Kind.LOST)


class OpportunityManager(AliveManager["Opportunity"]):
    """Like AliveManager (the recycle bin stays out of sight), with the named pipeline filters."""

    def get_queryset(self) -> OpportunityQuerySet:
        return OpportunityQuerySet(self.model, using=self._db).filter(deleted_at__isnull=True)

    def open(self) -> OpportunityQuerySet:
        """Opportunities whose stage is neither won nor lost."""
        return self.get_queryset().open()


class Opportunity(SoftDeleteModel, BaseModel):
    """A deal we are working on with an account."""

    name = models.CharField(_("name"), max_length=255, help_text=_("What the deal is about."))
    account = models.ForeignKey(
        "customers.Account",
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("account"),
        help_text=_("The company buying."),
    )
    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("primary contact"),
        help_text=_("The person we deal with most."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("owner"),
        help_text=_("The rep responsible for the deal."),
    )
    stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("stage"),
        help_text=_("Where the deal stands in the sales process."),
    )
    stage_changed_at = models.DateTimeField(
        _("stage changed at"),
        default=timezone.now,
        help_text=_("When the deal entered its current stage."),
    )
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Expected value of the deal; the sum of its line items when it has any."),
    )
    currency = PicklistField(
        "currency", verbose_name=_("currency"), help_text=_("The currency of the amount.")
    )
    price_list = models.ForeignKey(
        PriceList,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("price list"),
        help_text=_("Where line items take their prices from."),
    )
    forecast_close_date = models.DateField(
        _("forecast close date"),
        null=True,
        blank=True,
        help_text=_("When the rep expects the deal to close."),
    )
    probability = models.PositiveSmallIntegerField(
        _("probability"),
        validators=PERCENT,
        help_text=_("Chance of winning, in percent; set from the stage, the rep may adjust it."),
    )
    loss_reason = PicklistField(
        "loss_reason",
        null=True,
        blank=True,
        verbose_name=_("loss reason"),
        help_text=_("Why the deal was lost; required when it is closed as lost."),
    )
    source = PicklistField(
        "lead_source",
        null=True,
        blank=True,
        verbose_name=_("source"),
        help_text=_("Where the deal came from (copied from the lead it was converted from)."),
    )
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, help_text=_("When it was won or lost.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the customer wants and why.")
    )

    objects = OpportunityManager()  # type: ignore[misc]
    all_objects = OpportunityQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ("forecast_close_date", "id")
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["owner", "stage"], name="pipeline_opp_owner_stage_idx"),
            models.Index(
                fields=["stage", "forecast_close_date"], name="pipeline_opp_stage_close_idx"
            ),
            models.Index(fields=["forecast_close_date"], name="pipeline_opp_close_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.stage.kind != Stage.Kind.OPEN


class LineItem(models.Model):
    """A product on an opportunity, with quantity and price."""

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="line_items",
        verbose_name=_("opportunity"),
        help_text=_("The deal the product is on."),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product"),
        help_text=_("What is sold."),
    )
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("How many units."),
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Price of one unit; from the price list unless changed."),
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Discount on this line, in percent."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Line order."))

    class Meta:
        ordering = ("sort_order", "id")
        verbose_name = _("line item")
        verbose_name_plural = _("line items")

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product}"

    @property
    def total(self) -> Decimal:
        gross = self.quantity * self.unit_price
        return (gross * (Decimal(100) - self.discount_percent) / Decimal(100)).quantize(
            Decimal("0.01")
        )


class StageChange(models.Model):
    """An opportunity moving from one stage to another, with the time spent in the one it left."""

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("opportunity"),
        help_text=_("The deal that moved."),
    )
    from_stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
        help_text=_("The stage it left; empty when the deal was created."),
    )
    to_stage = models.ForeignKey(
        Stage,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to"),
        help_text=_("The stage it entered."),
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now, help_text=_("When it moved."))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Who moved it."),
    )
    time_in_previous = models.DurationField(
        _("time in previous stage"),
        null=True,
        blank=True,
        help_text=_("How long the deal spent in the stage it left."),
    )

    class Meta:
        ordering = ("changed_at", "id")
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            models.Index(fields=["opportunity", "changed_at"], name="pipeline_stagechange_idx")
        ]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_stage_id} → {self.to_stage_id}"


class OpportunityStep(models.Model):
    """A methodology step on one opportunity: when it was prompted, is due, and was done."""

    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("opportunity"),
        help_text=_("The deal."),
    )
    step = models.ForeignKey(
        MethodologyStep,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("step"),
        help_text=_("The methodology step."),
    )
    prompted_at = models.DateTimeField(
        _("prompted at"), default=timezone.now, help_text=_("When the rep was asked to do it.")
    )
    due_date = models.DateField(_("due"), null=True, blank=True, help_text=_("When it is due."))
    completed_at = models.DateTimeField(
        _("completed at"), null=True, blank=True, help_text=_("When it was done.")
    )
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("completed by"),
        help_text=_("Who marked it done."),
    )

    class Meta:
        ordering = ("step__stage__sort_order", "step__sort_order", "id")
        verbose_name = _("opportunity step")
        verbose_name_plural = _("opportunity steps")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "step"], name="pipeline_step_once_per_opp"
            )
        ]
        indexes = [
            models.Index(fields=["due_date", "completed_at"], name="pipeline_oppstep_due_idx")
        ]

    def __str__(self) -> str:
        return f"{self.step} on {self.opportunity_id}"


class Order(SoftDeleteModel, BaseModel):
    """What a won opportunity became: the products the customer ordered."""

    number = models.CharField(
        _("number"), max_length=32, unique=True, help_text=_("The order number, e.g. ORD-000042.")
    )
    opportunity = models.OneToOneField(
        Opportunity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order",
        verbose_name=_("opportunity"),
        help_text=_("The won deal the order came from."),
    )
    account = models.ForeignKey(
        "customers.Account",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("account"),
        help_text=_("The customer."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("owner"),
        help_text=_("The rep who won it."),
    )
    status = PicklistField(
        "order_status", verbose_name=_("status"), help_text=_("Where the order stands.")
    )
    order_date = models.DateField(
        _("order date"), default=timezone.localdate, help_text=_("When the customer ordered.")
    )
    currency = PicklistField(
        "currency", verbose_name=_("currency"), help_text=_("The currency of the order.")
    )
    total_amount = models.DecimalField(
        _("total"),
        max_digits=14,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("The sum of the order's lines."),
    )

    class Meta:
        ordering = ("-order_date", "-id")
        verbose_name = _("order")
        verbose_name_plural = _("orders")

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """A product on an order."""

    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("order"),
        help_text=_("The order."),
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product"),
        help_text=_("What was ordered."),
    )
    quantity = models.DecimalField(
        _("quantity"), max_digits=12, decimal_places=2, help_text=_("How many units.")
    )
    unit_price = models.DecimalField(
        _("unit price"), max_digits=14, decimal_places=2, help_text=_("Price of one unit.")
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        help_text=_("Discount."),
    )
    total = models.DecimalField(
        _("total"), max_digits=14, decimal_places=2, help_text=_("Line total after discount.")
    )

    class Meta:
        ordering = ("id",)
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_id}"
