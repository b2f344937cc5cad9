"""The event spine: every app's step ledger is the one core Event, so none can drift."""

from django.apps import apps

from yichuang.core.events import Event

STEP_LEDGERS = {
    "cases.caseevent",
    "inquiries.inquiryevent",
    "feedback.complaintevent",
    "feedback.followupevent",
    "campaigns.campaignunitevent",
}
# The step fields of the issue, and the chain fields every ledger row carries (core/ledger.py).
BASE_FIELDS = ["at", "action", "from_status", "status", "by", "covered_for", "note", "data"]
BASE_FIELDS += ["seq", "prev_hash", "hash"]


def _event_models():
    return [model for model in apps.get_models() if issubclass(model, Event)]


def test_the_step_ledgers_are_core_events():
    assert {model._meta.label_lower for model in _event_models()} >= STEP_LEDGERS


def test_every_event_model_has_the_base_fields_exactly():
    base = {field.name: field for field in Event._meta.get_fields()}
    assert sorted(base) == sorted(BASE_FIELDS)
    for model in _event_models():
        for name in BASE_FIELDS:
            field = model._meta.get_field(name)
            # Same column definition as the base: type, length, null/blank, default, target.
            assert field.deconstruct()[1:] == base[name].deconstruct()[1:], (model, name)
        assert model.append_only, model
        assert model._meta.ordering == ["at", "id"], model


def test_every_event_model_names_its_vocabulary():
    for model in _event_models():
        assert model.action_labels, model
        assert model.statuses is not None, model
        event = model(action="no-such-action", status=model.statuses.values[0])
        assert event.label == "no-such-action"
        assert event.status_label == str(model.statuses(event.status).label)
