"""The Starlette app factory: routes, methods and the path prefix come from the spec; every
answer that is not a 200, from authentication, parameter checks or routing, is the spec's
Error body as JSON, and nothing unexpected ever reaches the client as a traceback."""

from __future__ import annotations

from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from reference_server.auth import DEFAULT_PASSWORD, DEFAULT_USER, BasicAuthMiddleware, Credentials
from reference_server.data import documented_items
from reference_server.handlers import endpoints
from reference_server.parameters import InvalidParametersError
from reference_server.problems import Problems
from reference_server.resources import served_resources
from reference_server.spec_rules import SpecRules, load_rules
from reference_server.store import Store


def documented_store(rules: SpecRules) -> Store:
    """An in-memory store holding each resource's documented items, in documented order."""
    store = Store.open(rules.resources)
    for resource in rules.resources:
        store.add_all(resource.name, documented_items(rules, resource))
    return store


def create_app(
    credentials: Credentials | None = None,
    store: Store | None = None,
    rules: SpecRules | None = None,
) -> Starlette:
    """The reference server of `rules` (by default the contract's). Without a store: the
    documented items of each resource; without credentials: the default ones."""
    rules = rules or load_rules()
    resources = served_resources(rules)
    credentials = credentials or Credentials(DEFAULT_USER, DEFAULT_PASSWORD)
    store = store or documented_store(rules)
    problems = Problems(rules.error_titles)
    served = endpoints(resources, store, problems)
    routes = [
        Route(rules.prefix + op.path, served[op.operation_id], methods=[op.method])
        for op in rules.operations
    ]

    async def invalid_parameters(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, InvalidParametersError):
            raise exc
        return problems.invalid(exc.rejections)

    async def http_exception(request: Request, exc: Exception) -> Response:
        """Routing's own answers (404 for an unknown path, 405 for another method), as JSON."""
        if not isinstance(exc, HTTPException):
            raise exc
        headers = dict(exc.headers or {})
        detail = str(exc.detail)
        if exc.status_code == HTTPStatus.NOT_FOUND:
            detail = f"Nothing is served at {request.url.path}."
        elif exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
            allowed = sorted(m.strip() for m in headers.get("Allow", "").split(",") if m.strip())
            headers["Allow"] = ", ".join(allowed)
            detail = f"{request.method} is not allowed here; allowed: {headers['Allow']}."
        return problems.response(exc.status_code, detail, headers=headers)

    async def unexpected(request: Request, exc: Exception) -> Response:
        # The exception goes on to the server's log; the client only learns that it happened.
        return problems.response(
            HTTPStatus.INTERNAL_SERVER_ERROR, "The server failed to answer this request."
        )

    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                BasicAuthMiddleware,
                credentials=credentials,
                challenge=rules.challenge,
                problems=problems,
            )
        ],
        exception_handlers={
            InvalidParametersError: invalid_parameters,
            HTTPException: http_exception,
            Exception: unexpected,
        },
    )
    # A path with a trailing slash added is not a path of the spec: answer 404, do not redirect.
    app.router.redirect_slashes = False
    return app
