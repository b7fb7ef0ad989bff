"""The forms of the lead pages, the qualification question and web form administration, the
conversion page and the hosted web-to-lead form."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.core.models import Picklist, PicklistValue
from rapport.leads import services
from rapport.leads.models import Lead, QualificationQuestion, WebForm
from rapport.leads.selectors import answer_options
from rapport.leads.web.snippets import answer_field_name, field_label


class LeadForm(forms.ModelForm[Lead]):
    class Meta:
        model = Lead
        fields = (
            "first_name",
            "last_name",
            "company",
            "job_title",
            "title_level",
            "email",
            "phone",
            "website",
            "industry",
            "status",
            "source",
            "owner",
            "street",
            "city",
            "postal_code",
            "region",
            "country",
            "description",
            "external_id",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_converted and "status" in self.fields:
            self.fields["status"].disabled = True
            self.fields["status"].help_text = "A converted lead keeps its status."


class QuestionForm(forms.ModelForm[QualificationQuestion]):
    class Meta:
        model = QualificationQuestion
        fields = ("key", "text", "picklist", "help_text")
        widgets = {"help_text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        picklist = self.fields["picklist"]
        assert isinstance(picklist, forms.ModelChoiceField)
        picklist.queryset = Picklist.objects.order_by("name")
        picklist.help_text = "Its active values are the possible answers."


_FIELD_CHOICES = [(name, name.replace("_", " ").capitalize()) for name in services.WEB_FORM_FIELDS]


class WebFormForm(forms.ModelForm[WebForm]):
    asked_fields = forms.MultipleChoiceField(
        label="Fields asked",
        choices=_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Last name and e-mail are always asked.",
    )
    required_fields = forms.MultipleChoiceField(
        label="Required fields",
        choices=_FIELD_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Last name and e-mail are always required.",
    )
    questions = forms.ModelMultipleChoiceField(
        label="Qualification questions to pre-fill",
        queryset=QualificationQuestion.objects.filter(is_active=True).order_by("sort_order"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = WebForm
        fields = ("name", "owner", "source", "success_message", "redirect_url")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for choice_field in (self.fields["asked_fields"], self.fields["required_fields"]):
            assert isinstance(choice_field, forms.MultipleChoiceField)
            choice_field.choices = [(n, field_label(n)) for n in services.WEB_FORM_FIELDS]
        if self.instance.pk:
            self.initial.setdefault("asked_fields", self.instance.fields)
            self.initial.setdefault("required_fields", self.instance.required_fields)
            self.initial.setdefault("questions", list(self.instance.questions.all()))
        else:
            self.initial.setdefault("asked_fields", ["first_name", "last_name", "email", "company"])
            self.initial.setdefault("required_fields", ["last_name", "email"])


class ConvertForm(forms.Form):
    """Where the lead goes: a suggested account/contact or new ones, and the opportunity."""

    account = forms.ChoiceField(label="Account", widget=forms.RadioSelect)
    contact = forms.ChoiceField(label="Contact", widget=forms.RadioSelect)
    create_opportunity = forms.BooleanField(
        label="Create an opportunity", required=False, initial=True
    )
    name = forms.CharField(label="Opportunity name", max_length=255, required=False)
    amount = forms.DecimalField(
        label="Amount", max_digits=14, decimal_places=2, min_value=0, required=False
    )
    forecast_close_date = forms.DateField(
        label="Forecast close date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    stage: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="Stage", queryset=None, required=False
    )

    def __init__(self, *args: Any, accounts: list[Any], contacts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from rapport.pipeline.models import Stage

        account = self.fields["account"]
        contact = self.fields["contact"]
        assert isinstance(account, forms.ChoiceField)
        assert isinstance(contact, forms.ChoiceField)
        account.choices = [(str(a.pk), f"Use {a.name}") for a in accounts] + [
            ("new", "Create a new account")
        ]
        contact.choices = [
            (str(c.pk), f"Use {c.full_name}" + (f" ({c.account.name})" if c.account else ""))
            for c in contacts
        ] + [("new", "Create a new contact")]
        self.initial.setdefault("account", str(accounts[0].pk) if accounts else "new")
        self.initial.setdefault("contact", str(contacts[0].pk) if contacts else "new")
        stage = self.fields["stage"]
        assert isinstance(stage, forms.ModelChoiceField)
        stage.queryset = Stage.objects.filter(is_active=True, kind="open").order_by("sort_order")
        stage.empty_label = "The first stage"

    def opportunity_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            name: data[name]
            for name in ("name", "amount", "forecast_close_date", "stage")
            if data.get(name) not in (None, "")
        }


class PublicLeadForm(forms.Form):
    """The hosted web-to-lead form: the form's fields and questions; the service validates."""

    def __init__(self, *args: Any, web_form: WebForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.web_form = web_form
        for name in web_form.fields:
            required = name in web_form.required_fields
            label = field_label(name)
            field: forms.Field
            if name == "email":
                field = forms.EmailField(label=label, required=required)
            elif name == "description":
                field = forms.CharField(
                    label="Message", required=required, widget=forms.Textarea(attrs={"rows": 4})
                )
            elif name in ("industry", "title_level"):
                picklist_key = Lead._meta.get_field(name).picklist_key  # type: ignore[union-attr]
                values = PicklistValue.objects.filter(
                    picklist__key=picklist_key, is_active=True
                ).order_by("sort_order")
                field = forms.ChoiceField(
                    label=label,
                    required=required,
                    choices=[("", "—"), *((v.key, v.label) for v in values)],
                )
            else:
                field = forms.CharField(label=label, required=required, max_length=255)
            self.fields[name] = field
        questions = list(web_form.questions.all())
        options = answer_options(questions)
        for question in questions:
            self.fields[answer_field_name(question)] = forms.ChoiceField(
                label=question.text,
                required=False,
                choices=[
                    ("", "—"),
                    *((v.key, v.label) for v in options.get(question.picklist_id, [])),
                ],
            )
        self.questions = questions

    def submission(self) -> dict[str, Any]:
        """The data the web-to-lead service takes (fields, answers by key, the honeypot)."""
        data: dict[str, Any] = {name: self.data.get(name, "") for name in self.web_form.fields}
        data["answers"] = {
            q.key: self.data.get(answer_field_name(q), "")
            for q in self.questions
            if self.data.get(answer_field_name(q))
        }
        data[services.HONEYPOT_FIELD] = self.data.get(services.HONEYPOT_FIELD, "")
        return data
