"""The client templates cannot see a spec's `x-` extensions, so the declarations they need are
written as a Jinja file beside them, keyed by `method path`: PAGING, which the facade
(api_init.py.jinja) pages with, and BEHAVIOUR, the rules the README shows. Paging names come
from the spec alone, never from a template."""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from scripts.behaviour_docs import behaviour_rules
from scripts.declarations import list_operations

DECLARATIONS_TEMPLATE: Final = "declarations.jinja"


def declared_paging(document: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """`method path` of each paged list operation -> the query parameters that set how many
    matches to skip and the page size, and the JSON member paths of its items and total."""
    return {
        f"{method} {path}": {
            "skip": resource.paging.offset,
            "step": resource.paging.step,
            "results": list(resource.paging.results),
            "total": list(resource.paging.total),
        }
        for (method, path), resource in list_operations(document).items()
    }


def declarations_template(document: Mapping[str, Any]) -> str:
    # JSON of strings and lists is also a Jinja literal (escapes included).
    paging = json.dumps(declared_paging(document), indent=2, sort_keys=True)
    behaviour = json.dumps(
        {
            f"{method} {path}": behaviour_rules(resource)
            for (method, path), resource in list_operations(document).items()
        },
        indent=2,
        sort_keys=True,
    )
    return (
        "{# Written from the spec's declarations by scripts/template_declarations.py. #}\n"
        f"{{% set PAGING = {paging} %}}\n"
        f"{{% set BEHAVIOUR = {behaviour} %}}\n"
    )


def templates_with_declarations(templates: Path, document: Mapping[str, Any], folder: Path) -> Path:
    """A copy of `templates` in `folder`, with the declarations of `document` beside them."""
    target = folder / templates.name
    shutil.copytree(templates, target)
    (target / DECLARATIONS_TEMPLATE).write_text(declarations_template(document), "utf-8")
    return target
