from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_group import EventGroup


T = TypeVar("T", bound="EventGroupList")


@_attrs_define
class EventGroupList:
    """One page of event groups and the number of all matches."""

    event_groups: list[EventGroup]
    """ The groups of this page, in the requested order. """
    total_items: int
    """ Number of groups that match the filters, counted over all pages. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event_groups = []
        for event_groups_item_data in self.event_groups:
            event_groups_item = event_groups_item_data.to_dict()
            event_groups.append(event_groups_item)

        total_items = self.total_items

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event_groups": event_groups,
                "total_items": total_items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_group import EventGroup  # noqa: PLC0415

        d = dict(src_dict)
        event_groups = []
        _event_groups = d.pop("event_groups")
        for event_groups_item_data in _event_groups:
            event_groups_item = EventGroup.from_dict(event_groups_item_data)

            event_groups.append(event_groups_item)

        total_items = d.pop("total_items")

        event_group_list = cls(
            event_groups=event_groups,
            total_items=total_items,
        )

        event_group_list.additional_properties = d
        return event_group_list

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
