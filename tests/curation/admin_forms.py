"""Post admin forms as a browser would: a change form with every field's current value,
and a bulk action on the rows ticked in a change list."""

from __future__ import annotations

from typing import Any

from django import forms


def _field_value(bound: forms.BoundField) -> Any:
    widget = bound.field.widget
    value = bound.value()
    if isinstance(widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(bound.field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
        return [str(getattr(item, "pk", item)) for item in (value or [])]
    if isinstance(bound.field, forms.ModelChoiceField) and hasattr(value, "pk"):
        return value.pk
    formatted = widget.format_value(value)
    return "" if formatted is None else formatted


def _form_data(form: forms.BaseForm) -> dict[str, Any]:
    data = {}
    for bound in form:
        value = _field_value(bound)
        if value is not None:
            data[bound.html_name] = value
    return data


def change_form_data(response) -> dict[str, Any]:
    """The POST body of an admin change form, from the GET response's context."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_form_data(formset.management_form))
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def post_admin_action(client, changelist_url: str, action: str, objects) -> Any:
    """Tick `objects` in the change list at `changelist_url` and run `action` on them."""
    return client.post(
        changelist_url, {"action": action, "_selected_action": [item.pk for item in objects]}
    )
