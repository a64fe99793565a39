"""Turn one raw parameter string into its typed value, or into the reason the spec rejects it.
The rules are the parameter's own JSON Schema from the spec, checked with jsonschema after
the string is read as the schema's type, so no bound or allowed value is restated here."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from contract.spec.parameter_values import TooManyDigitsError, UnreadableValueError, read_parameter
from reference_server.errors import SpecRulesError

# Types a query or path string can be read as; anything else fails at startup, not per request.
SUPPORTED_TYPES = frozenset({"string", "integer"})


@dataclass(frozen=True)
class Rejection:
    """One rejected parameter: an `invalid_params` entry of the Error body."""

    name: str
    reason: str


class InvalidParametersError(Exception):
    """Raised while reading a request; the app answers it with 400 and every rejection."""

    def __init__(self, rejections: list[Rejection]) -> None:
        super().__init__("; ".join(f"{r.name}: {r.reason}" for r in rejections))
        self.rejections = rejections


def describe(keyword: str, value: Any) -> str | None:
    """The reason for failing one JSON Schema keyword, worded after the spec's Error example
    ("must be at most 1000"). None for keywords without a wording of their own."""
    plural = "" if value == 1 else "s"
    match keyword:
        case "type":
            article = "an" if str(value)[:1] in "aeiou" else "a"
            return f"must be {article} {value}"
        case "minimum":
            return f"must be at least {value}"
        case "maximum":
            return f"must be at most {value}"
        case "exclusiveMinimum":
            return f"must be greater than {value}"
        case "exclusiveMaximum":
            return f"must be less than {value}"
        case "minLength":
            return f"must be at least {value} character{plural} long"
        case "maxLength":
            return f"must be at most {value} character{plural} long"
        case "enum":
            return "must be one of " + ", ".join(map(str, value))
        case "const":
            return f"must be {value}"
        case "pattern":
            return f"must match the pattern {value}"
    return None


def reason(keyword: str, value: Any) -> str:
    """Like describe(), with a plain fallback: jsonschema's own message repeats the rejected
    value, which may be huge, so it is never echoed."""
    return describe(keyword, value) or f"breaks the `{keyword}` rule"


def reason_for(error: ValidationError) -> str:
    return reason(str(error.validator), error.validator_value)


@dataclass(frozen=True)
class ParameterRule:
    """One query or path parameter of an operation, as the spec defines it."""

    name: str
    location: str
    required: bool
    schema: dict[str, Any]
    validator: Draft202012Validator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kind = self.schema.get("type")
        if kind not in SUPPORTED_TYPES:
            raise SpecRulesError(
                f"parameter {self.name!r}: type {kind!r} is not supported "
                f"(supported: {', '.join(sorted(SUPPORTED_TYPES))})"
            )
        try:
            Draft202012Validator.check_schema(self.schema)
        except Exception as exc:
            raise SpecRulesError(f"parameter {self.name!r}: invalid schema ({exc})") from exc
        object.__setattr__(self, "validator", Draft202012Validator(self.schema))
        if "default" in self.schema and not self.validator.is_valid(self.schema["default"]):
            raise SpecRulesError(f"parameter {self.name!r}: the default breaks its own schema")

    @property
    def default(self) -> Any:
        """The value used when the request leaves the parameter out (None without a default)."""
        return self.schema.get("default")

    def parse(self, raw: str) -> Any:
        """The typed value of `raw`; raises InvalidParametersError with this parameter's reason."""
        value = self._read(raw)
        error = best_match(self.validator.iter_errors(value))
        if error is not None:
            raise InvalidParametersError([Rejection(self.name, reason_for(error))])
        return value

    def _read(self, raw: str) -> Any:
        try:
            return read_parameter(self.schema, raw)
        except UnreadableValueError as exc:
            raise InvalidParametersError([Rejection(self.name, reason("type", exc.kind))]) from None
        except TooManyDigitsError as exc:
            rejection = Rejection(self.name, self._beyond_range(exc.negative))
            raise InvalidParametersError([rejection]) from None

    def _beyond_range(self, negative: bool) -> str:
        keywords = ("minimum", "exclusiveMinimum") if negative else ("maximum", "exclusiveMaximum")
        for keyword in keywords:
            if keyword in self.schema:
                return reason(keyword, self.schema[keyword])
        return f"must have at most {sys.get_int_max_str_digits()} digits"
