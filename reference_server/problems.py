"""Every error response: the spec's Error body as application/json, built with the client
package's Pydantic model (one generation for both sides: a spec change that the server's
errors no longer fit fails `make typecheck` here), and titled as the spec's own error
examples title each status (RFC 9457: the same title for every occurrence); statuses the spec
shows no example for get the HTTP phrase."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus

from customer_interface_client.models import Error, ErrorInvalidParamsItem
from starlette.responses import Response

from reference_server.parameters import Rejection

JSON_MEDIA_TYPE = "application/json"


class Problems:
    def __init__(self, titles: Mapping[int, str]) -> None:
        self._titles = dict(titles)

    def title(self, status: int) -> str:
        return self._titles.get(status) or HTTPStatus(status).phrase

    def response(
        self,
        status: int,
        detail: str,
        *,
        rejections: Sequence[Rejection] = (),
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        body = Error(
            status=status,
            title=self.title(status),
            detail=detail,
            invalid_params=[
                ErrorInvalidParamsItem(name=r.name, reason=r.reason) for r in rejections
            ]
            or None,
        )
        return Response(
            body.model_dump_json(exclude_none=True),
            status_code=status,
            headers=dict(headers or {}),
            media_type=JSON_MEDIA_TYPE,
        )

    def invalid(self, rejections: Sequence[Rejection]) -> Response:
        detail = "; ".join(f"{r.name}: {r.reason}" for r in rejections)
        return self.response(HTTPStatus.BAD_REQUEST, detail, rejections=rejections)
