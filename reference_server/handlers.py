"""The two operations of the spec as Starlette endpoints. Parameters are read by the
operation's rules (an invalid one raises InvalidParametersError, which the app answers with 400),
and bodies are built with the generated models, so they have the spec's shape by construction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from generated.models.customer_interface import (
    EventGroupList,
    EventGroupListResponse,
    EventGroupResponse,
)
from reference_server import list_query
from reference_server.errors import SpecRulesError
from reference_server.problems import JSON_MEDIA_TYPE, Problems
from reference_server.spec_rules import OperationRule, SpecRules
from reference_server.store import EventGroupStore

Endpoint = Callable[[Request], Awaitable[Response]]

LIST_OPERATION = "listEventGroups"
DETAIL_OPERATION = "getEventGroup"


def json_response(body: BaseModel) -> Response:
    return Response(body.model_dump_json(), media_type=JSON_MEDIA_TYPE)


class EventGroupEndpoints:
    def __init__(self, rules: SpecRules, store: EventGroupStore, problems: Problems) -> None:
        self._list = rules.operation(LIST_OPERATION)
        self._detail = rules.operation(DETAIL_OPERATION)
        list_query.check(self._list)
        if len(self._detail.names("path")) != 1 or self._detail.names("query"):
            raise SpecRulesError(f"{DETAIL_OPERATION}: expected one path parameter, the id")
        self._store = store
        self._problems = problems

    def by_operation_id(self) -> dict[str, Endpoint]:
        return {LIST_OPERATION: self.list_event_groups, DETAIL_OPERATION: self.get_event_group}

    async def list_event_groups(self, request: Request) -> Response:
        values = self._read(self._list, request)
        page = self._store.search(list_query.to_search(values))
        data = EventGroupList(event_groups=page.groups, total_items=page.total)
        return json_response(EventGroupListResponse(data=data))

    async def get_event_group(self, request: Request) -> Response:
        values = self._read(self._detail, request)
        (key,) = (values[name] for name in self._detail.names("path"))
        group = self._store.get(key)
        if group is None:
            return self._problems.response(
                HTTPStatus.NOT_FOUND, f"No event group has the id {key!r}."
            )
        return json_response(EventGroupResponse(data=group))

    @staticmethod
    def _read(operation: OperationRule, request: Request) -> dict[str, Any]:
        return operation.parse_request(request.query_params.multi_items(), request.path_params)
