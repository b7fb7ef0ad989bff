from __future__ import annotations

from django import forms

from rapport.customers.models import Account, Contact


class AccountForm(forms.ModelForm[Account]):
    class Meta:
        model = Account
        fields = (
            "name",
            "parent",
            "owner",
            "industry",
            "website",
            "phone",
            "employees",
            "annual_revenue",
            "street",
            "city",
            "postal_code",
            "region",
            "country",
            "description",
            "external_id",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        parent = self.fields["parent"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = Account.objects.only("id", "name").order_by("name")
        if self.instance.pk:
            parent.queryset = parent.queryset.exclude(pk=self.instance.pk)


class ContactForm(forms.ModelForm[Contact]):
    class Meta:
        model = Contact
        fields = (
            "first_name",
            "last_name",
            "account",
            "owner",
            "job_title",
            "title_level",
            "email",
            "secondary_email",
            "phone",
            "mobile",
            "birthdate",
            "street",
            "city",
            "postal_code",
            "region",
            "country",
            "do_not_contact",
            "left_company",
            "description",
            "external_id",
        )
        widgets = {
            "birthdate": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        account = self.fields["account"]
        assert isinstance(account, forms.ModelChoiceField)
        account.queryset = Account.objects.only("id", "name").order_by("name")
