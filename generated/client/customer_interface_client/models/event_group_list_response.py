from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.event_group_list import EventGroupList


T = TypeVar("T", bound="EventGroupListResponse")


@_attrs_define
class EventGroupListResponse:
    """The `data` envelope around one page of event groups."""

    data: EventGroupList
    """ One page of event groups and the number of all matches. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.event_group_list import EventGroupList  # noqa: PLC0415

        d = dict(src_dict)
        data = EventGroupList.from_dict(d.pop("data"))

        event_group_list_response = cls(
            data=data,
        )

        event_group_list_response.additional_properties = d
        return event_group_list_response

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
