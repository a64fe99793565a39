from enum import StrEnum


class EventGroupSortField(StrEnum):
    EVENT_GROUP_ID = "event_group_id"
    NAME = "name"
    STATE = "state"
    TEXT_ID = "text_id"

    def __str__(self) -> str:
        return str(self.value)
