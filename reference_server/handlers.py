"""The list and detail operations of each declared resource as Starlette endpoints. Parameters
are read by the operation's rules (an invalid one raises InvalidParametersError, which the app
answers with 400); bodies put the stored items at the member paths the declarations name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from contract.spec.declarations import with_member
from reference_server.problems import JSON_MEDIA_TYPE, Problems
from reference_server.resources import Resource
from reference_server.store import Store

Endpoint = Callable[[Request], Awaitable[Response]]


def json_response(body: Any) -> Response:
    """`body` as compact UTF-8 JSON; orjson, because encoding is most of a page's cost."""
    return Response(orjson.dumps(body), media_type=JSON_MEDIA_TYPE)


def body_with(path: Sequence[str], value: Any) -> Any:
    """A body holding `value` at `path` (the value itself for the empty path)."""
    return with_member({}, path, value) if path else value


class ResourceEndpoints:
    def __init__(self, resource: Resource, store: Store, problems: Problems) -> None:
        self._resource = resource
        self._store = store
        self._problems = problems
        self._noun = store.layout(resource.name).noun

    def by_operation_id(self) -> dict[str, Endpoint]:
        return {
            self._resource.list_rule.operation_id: self.list_items,
            self._resource.detail_rule.operation_id: self.get_item,
        }

    async def list_items(self, request: Request) -> Response:
        resource = self._resource
        values = resource.parse_list(request.query_params.multi_items())
        page = self._store.search(resource.name, resource.query(values))
        paging = resource.declared.paging
        body = with_member(with_member({}, paging.results, page.items), paging.total, page.total)
        return json_response(body)

    async def get_item(self, request: Request) -> Response:
        key = self._resource.parse_key(request.query_params.multi_items(), request.path_params)
        item = self._store.get(self._resource.name, key)
        if item is None:
            return self._problems.response(
                HTTPStatus.NOT_FOUND, f"No {self._noun} has the id {key!r}."
            )
        return json_response(body_with(self._resource.declared.detail.item, item))


def endpoints(
    resources: Sequence[Resource], store: Store, problems: Problems
) -> dict[str, Endpoint]:
    """Every operation id of the spec -> its endpoint."""
    found: dict[str, Endpoint] = {}
    for resource in resources:
        found.update(ResourceEndpoints(resource, store, problems).by_operation_id())
    return found
