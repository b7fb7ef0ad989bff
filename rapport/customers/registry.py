"""What the customers app registers with the shared engines at start-up."""

from __future__ import annotations

from rapport.core import records

# Reps and their managers share accounts and contacts within the team, so a colleague's customer
# is found before it is entered twice; service and marketing read them all; data stewards correct
# and merge any of them (a merge sends the others to the recycle bin without a delete right).
ACCOUNT_ACCESS = {
    "sales_rep": "cre:team",
    "sales_manager": "cred:team",
    "service_agent": "r:all",
    "service_manager": "re:all",
    "marketing": "cre:all",
    "executive": "r:all",
    "data_steward": "re:all",
}


def register() -> None:
    from rapport.customers.models import Account, Contact

    records.register(
        records.RecordType(
            key="account",
            model=Account,
            label="Account",
            label_plural="Accounts",
            owner_path="owner",
            secured_fields=("annual_revenue", "employees", "phone", "description", "external_id"),
            url_name="customers:account-detail",
            default_access=ACCOUNT_ACCESS,
            app_label="customers",
        )
    )
    records.register(
        records.RecordType(
            key="contact",
            model=Contact,
            label="Contact",
            label_plural="Contacts",
            owner_path="owner",
            secured_fields=(
                "email",
                "secondary_email",
                "phone",
                "mobile",
                "birthdate",
                "description",
                "external_id",
            ),
            url_name="customers:contact-detail",
            default_access=ACCOUNT_ACCESS,
            app_label="customers",
        )
    )
