"""Contains all the data models used in inputs/outputs"""

from .error import Error
from .error_invalid_params_item import ErrorInvalidParamsItem
from .event_group import EventGroup
from .event_group_list import EventGroupList
from .event_group_list_response import EventGroupListResponse
from .event_group_response import EventGroupResponse
from .event_group_sort_field import EventGroupSortField
from .sort_direction import SortDirection

__all__ = (
    "Error",
    "ErrorInvalidParamsItem",
    "EventGroup",
    "EventGroupList",
    "EventGroupListResponse",
    "EventGroupResponse",
    "EventGroupSortField",
    "SortDirection",
)
