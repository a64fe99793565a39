from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_invalid_params_item import ErrorInvalidParamsItem


T = TypeVar("T", bound="Error")


@_attrs_define
class Error:
    """Body of every error response. Its members take their meaning from RFC 9457 (problem details): `status` repeats the
    HTTP status, `title` names the kind of problem, `detail` explains this occurrence; `invalid_params` lists each
    rejected query or path parameter.

    """

    status: int
    """ The HTTP status code of the response. """
    title: str
    """ Short summary of the kind of problem; the same for every occurrence. """
    detail: str
    """ What went wrong in this request, for a human reader. """
    invalid_params: list[ErrorInvalidParamsItem] | Unset = UNSET
    """ One entry for each parameter that was rejected (400 only). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        title = self.title

        detail = self.detail

        invalid_params: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.invalid_params, Unset):
            invalid_params = []
            for invalid_params_item_data in self.invalid_params:
                invalid_params_item = invalid_params_item_data.to_dict()
                invalid_params.append(invalid_params_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "title": title,
                "detail": detail,
            }
        )
        if invalid_params is not UNSET:
            field_dict["invalid_params"] = invalid_params

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_invalid_params_item import ErrorInvalidParamsItem  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        title = d.pop("title")

        detail = d.pop("detail")

        _invalid_params = d.pop("invalid_params", UNSET)
        invalid_params: list[ErrorInvalidParamsItem] | Unset = UNSET
        if _invalid_params is not UNSET:
            invalid_params = []
            for invalid_params_item_data in _invalid_params:
                invalid_params_item = ErrorInvalidParamsItem.from_dict(invalid_params_item_data)

                invalid_params.append(invalid_params_item)

        error = cls(
            status=status,
            title=title,
            detail=detail,
            invalid_params=invalid_params,
        )

        error.additional_properties = d
        return error

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
