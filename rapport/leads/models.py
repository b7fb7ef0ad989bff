"""Leads, their qualification (questions and answers), status history, and web-to-lead forms."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.core.models import BaseModel, Picklist, PicklistValue, SoftDeleteModel
from rapport.core.picklists import PicklistField
from rapport.customers.models import PostalAddress


class QualificationQuestion(BaseModel):
    """A multiple-choice question a rep asks to qualify a lead; its answers are a picklist."""

    key = models.SlugField(
        _("key"), max_length=64, unique=True, help_text=_("Stable identifier for code and imports.")
    )
    text = models.CharField(
        _("question"), max_length=255, help_text=_("The question as the rep asks it.")
    )
    picklist = models.ForeignKey(
        Picklist,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answers"),
        help_text=_("The picklist whose active values are the possible answers."),
    )
    help_text = models.TextField(
        _("guidance"), blank=True, help_text=_("Why it matters and how to ask it.")
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("The order a rep asks the questions in.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired questions keep their old answers.")
    )

    class Meta:
        ordering = ("sort_order", "id")
        verbose_name = _("qualification question")
        verbose_name_plural = _("qualification questions")

    def __str__(self) -> str:
        return self.text


class Lead(SoftDeleteModel, BaseModel, PostalAddress):
    """Someone who may buy, not yet qualified into an account, a contact and an opportunity."""

    first_name = models.CharField(
        _("first name"), max_length=100, blank=True, help_text=_("Given name.")
    )
    last_name = models.CharField(_("last name"), max_length=100, help_text=_("Family name."))
    company = models.CharField(
        _("company"), max_length=255, blank=True, help_text=_("The company the person works for.")
    )
    job_title = models.CharField(
        _("job title"), max_length=150, blank=True, help_text=_("The person's job title.")
    )
    title_level = PicklistField(
        "title_level",
        null=True,
        blank=True,
        verbose_name=_("title level"),
        help_text=_("How senior the person is."),
    )
    email = models.EmailField(_("email"), blank=True, help_text=_("E-mail address."))
    phone = models.CharField(_("phone"), max_length=32, blank=True, help_text=_("Phone number."))
    website = models.URLField(_("website"), blank=True, help_text=_("The company's web site."))
    industry = PicklistField(
        "industry",
        null=True,
        blank=True,
        verbose_name=_("industry"),
        help_text=_("The company's main business."),
    )
    source = PicklistField(
        "lead_source",
        null=True,
        blank=True,
        verbose_name=_("source"),
        help_text=_("Where the lead came from."),
    )
    status = PicklistField(
        "lead_status", verbose_name=_("status"), help_text=_("Where the lead stands.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="leads",
        verbose_name=_("owner"),
        help_text=_("The rep working the lead."),
    )
    description = models.TextField(_("notes"), blank=True, help_text=_("What we know so far."))
    status_changed_at = models.DateTimeField(
        _("status changed at"),
        default=timezone.now,
        help_text=_("When the status last changed."),
    )
    last_touched_at = models.DateTimeField(
        _("last touched"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When its owner last logged a call or changed its status; empty: never."),
    )
    web_form = models.ForeignKey(
        "leads.WebForm",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="leads",
        verbose_name=_("web form"),
        help_text=_("The public form it came through, if any."),
    )
    converted_at = models.DateTimeField(
        _("converted at"), null=True, blank=True, help_text=_("When it was converted.")
    )
    converted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("converted by"),
        help_text=_("Who converted it."),
    )
    converted_account = models.ForeignKey(
        "customers.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_leads",
        verbose_name=_("converted account"),
        help_text=_("The account it became (or was added to)."),
    )
    converted_contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_leads",
        verbose_name=_("converted contact"),
        help_text=_("The contact it became (or was matched to)."),
    )
    converted_opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_leads",
        verbose_name=_("converted opportunity"),
        help_text=_("The opportunity it became."),
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["owner", "status"], name="leads_owner_status_idx"),
            models.Index(fields=["status", "last_touched_at"], name="leads_status_touch_idx"),
            models.Index(fields=["last_name", "first_name", "id"], name="leads_name_idx"),
            models.Index(fields=["email"], name="leads_email_idx"),
        ]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name} ({self.company})" if self.company else name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_converted(self) -> bool:
        return self.converted_at is not None


class QualificationAnswer(models.Model):
    """A lead's answer to one qualification question (kept on the opportunity after conversion)."""

    lead = models.ForeignKey(
        Lead,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("lead"),
        help_text=_("The lead answering."),
    )
    question = models.ForeignKey(
        QualificationQuestion,
        on_delete=models.PROTECT,
        related_name="answers",
        verbose_name=_("question"),
        help_text=_("The question answered."),
    )
    value = models.ForeignKey(
        PicklistValue,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answer"),
        help_text=_("The answer chosen, a value of the question's picklist."),
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="qualification_answers",
        verbose_name=_("opportunity"),
        help_text=_("The opportunity the lead became, where the answer was carried over."),
    )
    answered_at = models.DateTimeField(
        _("answered at"), default=timezone.now, help_text=_("When the answer was given.")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
        help_text=_("Who recorded it; empty when it came through a web form."),
    )

    class Meta:
        ordering = ("question__sort_order", "id")
        verbose_name = _("qualification answer")
        verbose_name_plural = _("qualification answers")
        constraints = [
            models.UniqueConstraint(fields=["lead", "question"], name="leads_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value_id}"


class LeadStatusChange(models.Model):
    """A lead's status changing, timestamped, so "time in status" is a fact, not a guess."""

    lead = models.ForeignKey(
        Lead,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("lead"),
        help_text=_("The lead."),
    )
    from_status = models.ForeignKey(
        PicklistValue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from"),
        help_text=_("The status it left; empty when the lead was created."),
    )
    to_status = models.ForeignKey(
        PicklistValue,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to"),
        help_text=_("The status it took."),
    )
    changed_at = models.DateTimeField(_("at"), default=timezone.now, help_text=_("When."))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Who changed it."),
    )

    class Meta:
        ordering = ("changed_at", "id")
        verbose_name = _("lead status change")
        verbose_name_plural = _("lead status changes")
        indexes = [models.Index(fields=["lead", "changed_at"], name="leads_statuschange_idx")]

    def __str__(self) -> str:
        return f"{self.lead_id}: {self.from_status_id} → {self.to_status_id}"


def _new_form_key() -> str:
    return secrets.token_urlsafe(12)


class WebForm(BaseModel):
    """A public form on a web site that creates leads (web-to-lead)."""

    name = models.CharField(
        _("name"), max_length=100, help_text=_("e.g. 'Contact us — pricing page'.")
    )
    key = models.CharField(
        _("public key"),
        max_length=32,
        unique=True,
        default=_new_form_key,
        help_text=_("The form's identifier in its public address; not a secret."),
    )
    fields = models.JSONField(
        _("fields"),
        default=list,
        help_text=_("The lead fields the form asks for, in order."),
    )
    required_fields = models.JSONField(
        _("required fields"),
        default=list,
        blank=True,
        help_text=_("Fields a visitor must fill in (last name and e-mail always are)."),
    )
    questions = models.ManyToManyField(
        QualificationQuestion,
        blank=True,
        related_name="web_forms",
        verbose_name=_("qualification questions"),
        help_text=_("Questions the form asks, pre-filling the lead's qualification."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assign to"),
        help_text=_("Who new leads from the form belong to."),
    )
    source = PicklistField(
        "lead_source",
        verbose_name=_("lead source"),
        help_text=_("The source recorded on leads from this form."),
    )
    success_message = models.CharField(
        _("thank-you message"),
        max_length=255,
        default="Thank you — we will be in touch shortly.",
        help_text=_("Shown to the visitor after sending."),
    )
    redirect_url = models.URLField(
        _("redirect to"),
        blank=True,
        help_text=_("Where to send the visitor after sending, if anywhere."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive forms refuse submissions.")
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")

    def __str__(self) -> str:
        return self.name
