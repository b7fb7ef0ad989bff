"""What the pipeline app registers with the shared engines at start-up."""

from __future__ import annotations

from rapport.core import records

# Configuration everyone reads and only administrators change.
CONFIGURATION_ACCESS = {"*": "r:all"}


def register() -> None:
    from rapport.pipeline.models import (
        MethodologyStep,
        Opportunity,
        Order,
        PriceList,
        Product,
        Stage,
    )

    records.register(
        records.RecordType(
            key="opportunity",
            model=Opportunity,
            label="Opportunity",
            label_plural="Opportunities",
            owner_path="owner",
            secured_fields=("amount", "probability", "description", "external_id"),
            url_name="pipeline:opportunity-detail",
            default_access={
                "sales_rep": "cre:own",
                "sales_manager": "cred:subordinates",
                "service_agent": "r:all",
                "service_manager": "r:all",
                "marketing": "r:all",
                "executive": "r:all",
                "data_steward": "r:all",
            },
            app_label="pipeline",
        )
    )
    records.register(
        records.RecordType(
            key="order",
            model=Order,
            label="Order",
            label_plural="Orders",
            owner_path="owner",
            secured_fields=("total_amount", "external_id"),
            url_name="pipeline:order-detail",
            default_access={
                "sales_rep": "re:own",
                "sales_manager": "re:subordinates",
                "service_agent": "r:all",
                "service_manager": "r:all",
                "executive": "r:all",
                "data_steward": "r:all",
            },
            app_label="pipeline",
        )
    )
    records.register(
        records.RecordType(
            key="product",
            model=Product,
            label="Product",
            label_plural="Products",
            secured_fields=("description", "external_id"),
            url_name="pipeline:product-detail",
            default_access=CONFIGURATION_ACCESS,
            app_label="pipeline",
        )
    )
    records.register(
        records.RecordType(
            key="price_list",
            model=PriceList,
            label="Price list",
            label_plural="Price lists",
            deletable=False,
            url_name="pipeline:price-list-detail",
            default_access=CONFIGURATION_ACCESS,
            app_label="pipeline",
        )
    )
    records.register(
        records.RecordType(
            key="stage",
            model=Stage,
            label="Stage",
            label_plural="Stages",
            deletable=False,
            url_name="pipeline:stage-edit",
            default_access=CONFIGURATION_ACCESS,
            app_label="pipeline",
        )
    )
    records.register(
        records.RecordType(
            key="methodology_step",
            model=MethodologyStep,
            label="Methodology step",
            label_plural="Methodology steps",
            deletable=False,
            url_name="pipeline:step-edit",
            default_access=CONFIGURATION_ACCESS,
            app_label="pipeline",
        )
    )
    from rapport.pipeline import catalog, timeline

    timeline.register()
    catalog.register()  # orders on timelines; products and orders in global search

    from rapport.activities.hooks import register_task_completed
    from rapport.pipeline.services import opportunity_step_complete_for_task

    # Ticking off a prompted task (on a timeline, My day) completes its methodology step too.
    register_task_completed(opportunity_step_complete_for_task)
