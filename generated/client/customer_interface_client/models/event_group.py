from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EventGroup")


@_attrs_define
class EventGroup:
    """A named group of event types, such as the events of a shopping cart."""

    event_group_id: str
    """ Unique id of the group, used in the detail path. """
    name: str
    """ Human-readable name of the group. """
    text_id: str
    """ Stable textual identifier of the group, for use in code and workflows. """
    state: int
    """ State of the group. Every documented group has state 1. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_group_id = self.event_group_id

        name = self.name

        text_id = self.text_id

        state = self.state

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_group_id": event_group_id,
                "name": name,
                "text_id": text_id,
                "state": state,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event_group_id = d.pop("event_group_id")

        name = d.pop("name")

        text_id = d.pop("text_id")

        state = d.pop("state")

        event_group = cls(
            event_group_id=event_group_id,
            name=name,
            text_id=text_id,
            state=state,
        )

        event_group.additional_properties = d
        return event_group

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
