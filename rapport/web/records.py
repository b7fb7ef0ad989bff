"""The pages of a business record type: list, detail, create, edit, delete — one set of rules.

A type declares what differs (columns, filters, form, templates); this module does what must
never differ between types: the permission check (403, or 404 for a record out of sight),
field-level security (hidden columns and fields never shown, read-only fields disabled), writes
through services, the recycle bin on delete, sorting only by allowed columns, column choice and
saved views per person, full-text search, and a page of rows without counting a huge table.

    class ContactList(RecordList):
        record_type = "contact"
        columns = (Column("name", "Name", sort="last_name", link=True), ...)
        filterset_class = ContactFilter
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.text import slugify
from django.views import View
from django.views.decorators.http import require_POST

from rapport.access import crud, permissions
from rapport.core import picklists, records
from rapport.core.models import PicklistValue, SavedView
from rapport.web.record_search import fulltext

PAGE_SIZE = 50
MAX_PAGE = 2000  # deep offsets get slow; past this, narrow the filters


@dataclass(frozen=True)
class Column:
    """One column of a record list."""

    key: str  # its name in ?columns= and saved views
    label: str
    # The model field it shows (field-level security hides the column with the field); None for
    # computed columns.
    field: str | None = None
    sort: str | None = None  # the order_by expression behind "sort by this column"; None: not
    default: bool = True  # shown when the person has not chosen columns
    link: bool = False  # the cell links to the record
    # The cell's value; by default the field's display value (a picklist value's label).
    value: Callable[[Any], Any] | None = None
    # "num" aligns right; "date" formats a date; "badge" shows a picklist value as a badge.
    kind: str = ""

    def cell(self, obj: Any) -> Any:
        if self.value is not None:
            return self.value(obj)
        if self.field is None:
            return ""
        found = getattr(obj, self.field, None)
        display = getattr(obj, f"get_{self.field}_display", None)
        if display is not None:
            return display()
        return found


@dataclass(frozen=True)
class Row:
    obj: Any
    url: str
    cells: list[tuple[Column, Any]]


@dataclass(frozen=True)
class ListPage:
    rows: list[Row]
    number: int
    has_previous: bool
    has_next: bool


def signed_in(request: HttpRequest) -> Any:
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user


def detail_url(record_type: str, obj: Model) -> str:
    url_name = records.get(record_type).url_name
    return reverse(url_name, args=[obj.pk]) if url_name else ""


# Forms --------------------------------------------------------------------------------------------


# Sources of field help texts beyond the model's own, e.g. the field glossary: each returns
# {field name: plain-text definition} for a record type (a registry: web sits below quality).
_help_text_sources: list[Callable[[str], Mapping[str, str]]] = []


def register_help_text_source(function: Callable[[str], Mapping[str, str]]) -> None:
    """Use `function(record_type)`'s definitions as form help texts (the last source wins)."""
    if function not in _help_text_sources:
        _help_text_sources.append(function)


def prepare_form(form: forms.BaseForm, *, record_type: str, user: Any) -> forms.BaseForm:
    """Apply the person's field security to a form and make picklist fields offer the list's
    active values (plus the record's current one), each value's definition in the help text.
    Fields with a registered definition (the field glossary) show it as their help text."""
    policy = permissions.policy_for(user, record_type)
    instance = getattr(form, "instance", None)
    help_texts: dict[str, str] = {}
    for source in _help_text_sources:
        help_texts.update(source(record_type))
    for name in list(form.fields):
        if name in policy.hidden_fields:
            del form.fields[name]
            continue
        if name in policy.read_only_fields:
            form.fields[name].disabled = True
        if help_texts.get(name):
            form.fields[name].help_text = escape(help_texts[name])  # forms render it unescaped
        model_field = _model_field(instance, name)
        if isinstance(model_field, picklists.PicklistField):
            _limit_picklist(form.fields[name], model_field, instance)
        elif model_field is not None and model_field.many_to_one:
            _pick_records(form.fields[name], model_field, user)
    return form


class RecordPickerWidget(forms.Widget):
    """Choose a record by typing part of its name: suggestions come from the pick endpoint,
    so a form never renders a select of a hundred thousand accounts."""

    template_name = "records/_picker.html"

    def __init__(self, record_type: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.record_type = record_type
        self.choice_label = ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        label = ""
        if value not in (None, ""):
            model: Any = records.get(self.record_type).model
            found = model._base_manager.filter(pk=_int(str(value))).first()
            label = str(found) if found is not None else ""
        context["widget"].update(
            {
                "pick_url": reverse("web:record-pick", args=[self.record_type]),
                "label": label,
                "record_type": records.get(self.record_type),
            }
        )
        return context


def _record_type_of(model: Any) -> str | None:
    try:
        return records.for_model(model).key
    except KeyError:
        return None


def _model_field(instance: Any, name: str) -> Any:
    if instance is None:
        return None
    try:
        return instance._meta.get_field(name)
    except Exception:
        return None


def _limit_picklist(field: forms.Field, model_field: Any, instance: Any) -> None:
    if not isinstance(field, forms.ModelChoiceField):
        return
    current = getattr(instance, model_field.attname, None)
    allowed = Q(is_active=True) | Q(pk=current) if current else Q(is_active=True)
    queryset = (
        PicklistValue.objects.filter(picklist__key=model_field.picklist_key)
        .filter(allowed)
        .order_by("sort_order", "id")
    )
    field.queryset = queryset
    field.label_from_instance = _picklist_label  # type: ignore[method-assign,assignment]
    definitions = [f"{value.label}: {value.definition}" for value in queryset if value.definition]
    if definitions and len(definitions) <= 12:
        base = str(field.help_text or "")
        field.help_text = (base + " " if base else "") + " · ".join(definitions)


def _picklist_label(value: Any) -> str:
    return str(value.label)


def _pick_records(field: forms.Field, model_field: Any, user: Any) -> None:
    """A link to a business record offers only records the person may see, through a picker."""
    if not isinstance(field, forms.ModelChoiceField):
        return
    target = _record_type_of(model_field.related_model)
    if target is None or target in permissions.ORGANISATION_TYPES:
        return
    if not permissions.policy_for(user, target).can("read"):
        return
    if field.queryset is not None:
        field.queryset = permissions.scope_queryset(user, target, field.queryset)
    if records.get(target).owner_path is not None:
        field.widget = RecordPickerWidget(target)


def form_values(form: forms.ModelForm[Any]) -> dict[str, Any]:
    """The values a valid model form would write: its enabled model fields only."""
    model_fields = {f.name for f in form._meta.model._meta.get_fields()}
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name in model_fields and name in form.fields and not form.fields[name].disabled
    }


# Lists --------------------------------------------------------------------------------------------


class RecordList(LoginRequiredMixin, View):
    """A list of the records the person may see, with filters, sort, columns and saved views."""

    record_type: ClassVar[str]
    template_name: ClassVar[str] = "records/list.html"
    columns: ClassVar[tuple[Column, ...]] = ()
    filterset_class: ClassVar[Any] = None
    search_fields: ClassVar[tuple[str, ...]] = ()  # when the type has no full-text index
    default_sort: ClassVar[str] = "-created_at"
    create_url_name: ClassVar[str | None] = None
    title: ClassVar[str | None] = None
    lede: ClassVar[str] = ""
    # A "Log a call" action on every row (for records calls are logged against).
    log_call: ClassVar[bool] = False
    extra_actions: ClassVar[Sequence[tuple[str, str]]] = ()  # (label, url name) in the header

    def get_queryset(self) -> QuerySet[Any]:
        model: Any = records.get(self.record_type).model
        return model.objects.all()  # type: ignore[no-any-return]

    # -- what the person asked for

    def visible_columns(self, user: Any) -> list[Column]:
        hidden = permissions.policy_for(user, self.record_type).hidden_fields
        return [c for c in self.columns if c.field is None or c.field not in hidden]

    def chosen_columns(self, params: QueryDict, user: Any) -> list[Column]:
        available = self.visible_columns(user)
        wanted = params.getlist("col")
        if wanted:
            by_key = {c.key: c for c in available}
            chosen = [by_key[k] for k in wanted if k in by_key]
            if chosen:
                return chosen
        return [c for c in available if c.default]

    def sort_of(self, params: QueryDict, columns: Sequence[Column]) -> tuple[str, list[str]]:
        requested = params.get("sort", "")
        key = requested.lstrip("-")
        for column in columns:
            if column.key == key and column.sort:
                descending = requested.startswith("-")
                expression = column.sort
                order = f"-{expression}" if descending else expression
                if order.startswith("--"):
                    order = order[2:]
                return requested, [order, "-pk" if descending else "pk"]
        return "", [self.default_sort, "-pk" if self.default_sort.startswith("-") else "pk"]

    def filtered(self, request: HttpRequest, params: QueryDict, user: Any) -> tuple[Any, Any]:
        queryset = permissions.scope_queryset(user, self.record_type, self.get_queryset())
        hidden = permissions.policy_for(user, self.record_type).hidden_fields
        refused = [name for name in params if name in hidden]
        if refused:
            raise PermissionDenied(
                "Your role may not filter by: " + ", ".join(sorted(refused)) + "."
            )
        filterset = None
        if self.filterset_class is not None:
            filterset = self.filterset_class(params, queryset=queryset, request=request)
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
        query = params.get("q", "").strip()
        if query:
            found = fulltext(queryset, query, user=user)
            if found is None:
                condition = Q()
                for word in query.split():
                    per_word = Q()
                    for name in self.search_fields:
                        if name not in hidden:
                            per_word |= Q(**{f"{name}__icontains": word})
                    condition &= per_word
                found = queryset.filter(condition)
            queryset = found
        return queryset, filterset

    def export_queryset(self, request: HttpRequest, params: QueryDict, user: Any) -> QuerySet[Any]:
        """The records the list shows for these parameters, in its order (for exports)."""
        _sort, order = self.sort_of(params, self.chosen_columns(params, user))
        queryset, _filterset = self.filtered(request, params, user)
        return queryset.order_by(*order)  # type: ignore[no-any-return]

    def page_of(self, queryset: QuerySet[Any], params: QueryDict) -> tuple[list[Any], ListPage]:
        try:
            number = max(1, min(MAX_PAGE, int(params.get("page", "1"))))
        except ValueError:
            number = 1
        start = (number - 1) * PAGE_SIZE
        # One row more than a page tells whether there is a next page, without a COUNT(*).
        objects = list(queryset[start : start + PAGE_SIZE + 1])
        has_next = len(objects) > PAGE_SIZE
        return objects[:PAGE_SIZE], ListPage([], number, number > 1, has_next)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = signed_in(request)
        policy = permissions.check(user, "read", self.record_type)
        params: QueryDict = request.GET
        saved = None
        if "view" in params:
            saved = SavedView.objects.filter(
                owner=user, record_type=self.record_type, pk=_int(params.get("view"))
            ).first()
            if saved is not None:
                params = QueryDict(saved.query, mutable=True)
                for key in saved.columns:
                    params.appendlist("col", key)
        elif not params:
            default_view = SavedView.objects.filter(
                owner=user, record_type=self.record_type, is_default=True
            ).first()
            if default_view is not None:
                return redirect(f"{request.path}?view={default_view.pk}")
        if request.GET.get("export"):
            from rapport.exports.web.views import list_export

            return list_export(request, view=self, params=params)
        columns = self.chosen_columns(params, user)
        sort, order = self.sort_of(params, columns)
        queryset, filterset = self.filtered(request, params, user)
        objects, page = self.page_of(queryset.order_by(*order), params)
        objects = permissions.mask_hidden(user, self.record_type, objects)
        rows = [
            Row(
                obj=obj,
                url=detail_url(self.record_type, obj),
                cells=[(c, c.cell(obj)) for c in columns],
            )
            for obj in objects
        ]
        page = ListPage(rows, page.number, page.has_previous, page.has_next)
        rt = records.get(self.record_type)
        context = {
            "record_type": rt,
            "title": self.title or rt.label_plural,
            "lede": self.lede,
            "columns": columns,
            "all_columns": self.visible_columns(user),
            "chosen_keys": [c.key for c in columns],
            "page": page,
            "filterset": filterset,
            "query": params.get("q", ""),
            "sort": sort,
            "params": params,
            "query_string": _without(params, "page"),
            "saved_views": SavedView.objects.filter(owner=user, record_type=self.record_type),
            "current_view": saved,
            "can_create": policy.can("create") and bool(self.create_url_name),
            "create_url": reverse(self.create_url_name) if self.create_url_name else "",
            "quick_call_url": _quick_call_url() if self.log_call and _can_log_calls(user) else "",
            "extra_actions": [(label, reverse(name)) for label, name in self.extra_actions],
        }
        context.update(self.extra_context(request, user))
        if getattr(request, "htmx", False) and request.headers.get("HX-Target") == "record-results":
            return render(request, f"{self.template_name}#results", context)
        return render(request, self.template_name, context)

    def extra_context(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        return {}


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


def _quick_call_url() -> str:
    try:
        return reverse("activities:quick-call")
    except NoReverseMatch:
        return ""


def _can_log_calls(user: Any) -> bool:
    try:
        return permissions.policy_for(user, "activity").can("create")
    except KeyError:
        return False


def _without(params: QueryDict, *names: str) -> str:
    copy = params.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


@login_required
def record_pick(request: HttpRequest, record_type: str) -> HttpResponse:
    """Suggestions for a record picker: up to 10 records of the type the person may see."""
    user = signed_in(request)
    try:
        permissions.check(user, "read", record_type)
    except KeyError as error:
        raise Http404("No such record type.") from error
    query = next(
        (str(v) for k, v in request.GET.items() if k.endswith("__search") or k == "q"), ""
    ).strip()
    model: Any = records.get(record_type).model
    queryset = permissions.scope_queryset(user, record_type, model.objects.all())
    found: list[Any] = []
    if len(query) >= 1:
        narrowed = fulltext(queryset, query, user=user)
        if narrowed is None:
            names = [f.name for f in model._meta.get_fields() if f.name in PICK_FIELDS]
            condition = Q()
            for name in names:
                condition |= Q(**{f"{name}__icontains": query})
            narrowed = queryset.filter(condition) if names else queryset.none()
        found = list(narrowed[:10])
    return render(
        request,
        "records/_picker.html#suggestions",
        {"found": found, "query": query, "record_type": records.get(record_type)},
    )


# Fields a picker searches when the type has no full-text index.
PICK_FIELDS = ("name", "last_name", "first_name", "company", "email", "code", "number", "subject")


# Saved views --------------------------------------------------------------------------------------


@require_POST
def saved_view_save(request: HttpRequest) -> HttpResponseBase:
    """Save the list's filters, sort and columns under a name (replacing a same-named view)."""
    user = signed_in(request)
    record_type = request.POST.get("record_type", "")
    try:
        permissions.check(user, "read", record_type)
    except KeyError as error:
        raise Http404("No such list.") from error
    name = request.POST.get("name", "").strip()[:100]
    back = request.POST.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    if not name:
        messages.error(request, "Name the view to save it.")
        return redirect(back)
    params = QueryDict(request.POST.get("query", ""), mutable=True)
    columns = params.getlist("col")
    for transient in ("col", "page", "view"):
        params.pop(transient, None)
    view, _created = SavedView.objects.update_or_create(
        owner=user,
        record_type=record_type,
        name=name,
        defaults={"query": params.urlencode()[:2000], "columns": columns},
    )
    if request.POST.get("is_default"):
        SavedView.objects.filter(owner=user, record_type=record_type).exclude(pk=view.pk).update(
            is_default=False
        )
        SavedView.objects.filter(pk=view.pk).update(is_default=True)
    messages.success(request, f"View “{name}” saved.")
    return redirect(f"{back.split('?')[0]}?{urlencode({'view': view.pk})}")


@require_POST
def saved_view_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = signed_in(request)
    view = get_object_or_404(SavedView, pk=pk, owner=user)
    rt = records.get(view.record_type)
    view.delete()
    messages.success(request, f"View “{view.name}” deleted.")
    back = request.POST.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    del rt
    return redirect(back.split("?")[0])


# One record ---------------------------------------------------------------------------------------


class RecordMixin(LoginRequiredMixin, View):
    record_type: ClassVar[str]

    def get_queryset(self) -> QuerySet[Any]:
        model: Any = records.get(self.record_type).model
        return model.objects.all()  # type: ignore[no-any-return]

    def get_object(self, user: Any, pk: int, action: str) -> Any:
        """The record if the person may see it (404 otherwise), then the action's check (403)."""
        policy = permissions.policy_for(user, self.record_type)
        if not policy.can("read"):
            raise PermissionDenied(permissions.denial_message("read", self.record_type))
        scoped = permissions.scope_queryset(user, self.record_type, self.get_queryset())
        obj = scoped.filter(pk=pk).first()
        if obj is None:
            raise Http404(f"No such {str(records.get(self.record_type).label).lower()}.")
        if action != "read" and not policy.can(action):
            raise PermissionDenied(permissions.denial_message(action, self.record_type))
        return obj


class RecordDetail(RecordMixin):
    """A record's page; subclasses give the template and extra context."""

    template_name: ClassVar[str]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = signed_in(request)
        obj = self.get_object(user, pk, "read")
        [obj] = permissions.mask_hidden(user, self.record_type, [obj])
        policy = permissions.policy_for(user, self.record_type)
        context = {
            "object": obj,
            "record_type": records.get(self.record_type),
            "hidden": policy.hidden_fields,
            "can_edit": policy.can("edit"),
            "can_delete": policy.can("delete") and records.get(self.record_type).deletable,
            "history_url": reverse("core:history", args=[self.record_type, obj.pk]),
            "report_url": _report_url(self.record_type, obj.pk),
        }
        context.update(self.extra_context(request, user, obj))
        return render(request, self.template_name, context)

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        return {}


# Checks other apps register (a registry, not an import: the quality engine sits above the web
# layer). Each sees the record as the valid form would save it (unsaved) and answers HTML to show
# above the form instead of saving (e.g. likely duplicates with a "Save anyway" box it reads
# back from request.POST), or "" to let the save go ahead.
FormCheck = Callable[[str, Model, HttpRequest], str]
_form_checks: list[tuple[FormCheck, frozenset[str]]] = []


def register_form_check(function: FormCheck, record_types: Sequence[str]) -> None:
    """Run `function(record_type, unsaved_obj, request)` before saving these types' forms."""
    entry = (function, frozenset(record_types))
    if entry not in _form_checks:
        _form_checks.append(entry)


def _form_warnings(record_type: str, obj: Model, request: HttpRequest) -> list[str]:
    return [
        html
        for check, types in _form_checks
        if record_type in types and (html := check(record_type, obj, request))
    ]


def _report_url(record_type: str, pk: int) -> str:
    """Where anyone who can read the record reports a wrong value (the quality app's form)."""
    try:
        return reverse("cleaning:report", args=[record_type, pk])
    except NoReverseMatch:
        return ""


class RecordFormView(RecordMixin):
    """Create (no pk) or edit a record through a model form and the type's services."""

    form_class: ClassVar[type[forms.ModelForm[Any]]]
    template_name: ClassVar[str] = "records/form.html"
    list_url_name: ClassVar[str]

    def create(self, user: Any, values: dict[str, Any], form: forms.ModelForm[Any]) -> Model:
        created: Model = crud.record_create(
            record_type=self.record_type, acting_user=user, values=values
        )
        return created

    def update(
        self, user: Any, obj: Any, values: dict[str, Any], form: forms.ModelForm[Any]
    ) -> Model:
        updated: Model = crud.record_update(
            record_type=self.record_type, obj=obj, acting_user=user, values=values
        )
        return updated

    def initial(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        """Initial values of a new record (e.g. ?account=5 from an account's page)."""
        return {}

    def build_form(self, request: HttpRequest, user: Any, obj: Any) -> forms.ModelForm[Any]:
        model: Any = records.get(self.record_type).model
        # The form gets its own copy: validating a model form writes the values into its
        # instance, and the service must see the record as it was to audit the change.
        instance = _detached_copy(obj) if obj is not None else model()
        data = request.POST if request.method == "POST" else None
        initial = self.initial(request, user) if obj is None else None
        form = self.form_class(data, instance=instance, initial=initial)
        prepare_form(form, record_type=self.record_type, user=user)
        return form

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)  # LoginRequiredMixin redirects
        user = request.user
        pk = kwargs.get("pk")
        obj = None
        if pk is None:
            permissions.check(user, "create", self.record_type)
        else:
            obj = self.get_object(user, pk, "edit")
        form = self.build_form(request, user, obj)
        warnings: list[str] = []
        if request.method == "POST":
            if form.is_valid() and (
                warnings := _form_warnings(self.record_type, form.instance, request)
            ):
                status = 200
            elif form.is_valid():
                try:
                    values = form_values(form)
                    saved = (
                        self.create(user, values, form)
                        if obj is None
                        else self.update(user, obj, values, form)
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                except IntegrityError:
                    form.add_error(None, "Another record already uses one of these values.")
                else:
                    verb = "saved" if obj is not None else "created"
                    label = str(records.get(self.record_type).label)
                    messages.success(request, f"{label} “{saved}” {verb}.")
                    return redirect(self.success_url(saved))
                status = 400
            else:
                status = 400
        elif request.method == "GET":
            status = 200
        else:
            return self.http_method_not_allowed(request, *args, **kwargs)
        rt = records.get(self.record_type)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "object": obj,
                "record_type": rt,
                "noun": str(rt.label).lower(),
                "form_warnings": warnings,
                "cancel_url": detail_url(self.record_type, obj)
                if obj
                else reverse(self.list_url_name),
                **self.extra_context(request, user, obj),
            },
            status=status,
        )

    def success_url(self, saved: Model) -> str:
        return detail_url(self.record_type, saved) or reverse(self.list_url_name)

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        return {}


def _detached_copy(obj: Model) -> Model:
    clone = copy.copy(obj)
    clone._state = copy.copy(obj._state)
    clone._state.fields_cache = {}
    return clone


def _add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class RecordDelete(RecordMixin):
    """Confirm, then move the record to the recycle bin (an administrator can restore it)."""

    template_name: ClassVar[str] = "records/confirm_delete.html"
    list_url_name: ClassVar[str]

    def delete(self, user: Any, obj: Any) -> None:
        crud.record_delete(record_type=self.record_type, obj=obj, acting_user=user)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = signed_in(request)
        obj = self.get_object(user, pk, "delete")
        rt = records.get(self.record_type)
        return render(
            request,
            self.template_name,
            {
                "object": obj,
                "record_type": rt,
                "noun": str(rt.label).lower(),
                "cancel_url": detail_url(self.record_type, obj),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        user = signed_in(request)
        obj = self.get_object(user, pk, "delete")
        rt = records.get(self.record_type)
        try:
            self.delete(user, obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(detail_url(self.record_type, obj))
        messages.success(
            request,
            f"{rt.label} “{obj}” moved to the recycle bin; an administrator can restore it "
            f"for {_retention_days()} days.",
        )
        return redirect(reverse(self.list_url_name))


def _retention_days() -> int:
    from rapport.core.recycle import retention

    return retention().days


def record_urls(
    prefix: str,
    name: str,
    *,
    list_view: type[View] | None = None,
    detail: type[View] | None = None,
    form: type[View] | None = None,
    delete: type[View] | None = None,
) -> list[Any]:
    """The usual URL patterns of a record type: `<prefix>/`, `<prefix>/new/`, `<prefix>/<pk>/`,
    `<prefix>/<pk>/edit/`, `<prefix>/<pk>/delete/`, named `<name>-list`, `-create`, `-detail`,
    `-edit` and `-delete`."""
    from django.urls import path

    patterns = []
    if list_view is not None:
        patterns.append(path(f"{prefix}/", list_view.as_view(), name=f"{name}-list"))
    if form is not None:
        patterns.append(path(f"{prefix}/new/", form.as_view(), name=f"{name}-create"))
        patterns.append(path(f"{prefix}/<int:pk>/edit/", form.as_view(), name=f"{name}-edit"))
    if detail is not None:
        patterns.append(path(f"{prefix}/<int:pk>/", detail.as_view(), name=f"{name}-detail"))
    if delete is not None:
        patterns.append(path(f"{prefix}/<int:pk>/delete/", delete.as_view(), name=f"{name}-delete"))
    return patterns


def collection_slug(record_type: str) -> str:
    return slugify(str(records.get(record_type).label_plural))


def picklist_badge(value: PicklistValue | None) -> Mapping[str, str] | None:
    """A picklist value as a badge for templates: its label and colour class."""
    if value is None:
        return None
    return {"label": value.label, "color": value.color or "gray"}
