from __future__ import annotations

from django import forms

from .models import Subscription


class AddressField(forms.EmailField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            max_length=254,
            label="Your e-mail address",
            error_messages={"invalid": "Enter an e-mail address such as name@example.org."},
            **kwargs,  # type: ignore[arg-type]
        )


class SubscribeForm(forms.Form):
    email = AddressField()
    frequency = forms.ChoiceField(
        choices=Subscription.Frequency.choices, initial=Subscription.Frequency.WEEKLY
    )
    query = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)
    # A field people never see: a bot filling every field gives itself away.
    website = forms.CharField(required=False, max_length=200)


class ShortlistRemindForm(forms.Form):
    email = AddressField()
    token = forms.CharField(max_length=4000, widget=forms.HiddenInput)
    website = forms.CharField(required=False, max_length=200)


class ManageLinkForm(forms.Form):
    email = AddressField()
    website = forms.CharField(required=False, max_length=200)


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(choices=Subscription.Frequency.choices)
