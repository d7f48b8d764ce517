"""How generated models are read from dicts: strictly for requests, leniently for responses.

Each generated model describes its fields in a `ModelReader` (JSON key, attribute, how to read the value,
whether it is required) and its `from_dict` calls `read`. Two modes:

* **strict** (models a request can carry): every rule broken is a `ModelDataError` naming the model, the
  field path and the rule: a required field missing, a value of the wrong kind, a value outside an enum,
  a key the model does not have (a misspelt key is refused, never silently sent);
* **lenient** (models only responses use): a required field (one the trust layer guarantees on a success)
  must be there and of its kind; any other field whose value is odd (`itemTransactions: "x"`, an amount
  `"abc"`, a `true` where a number belongs) is kept as received in `additional_properties` and the field
  left `UNSET`, so a payment whose money moved is never lost to one unreadable detail. Unknown keys are
  kept there too.

In both modes a float amount and a non-finite Decimal are refused (`FloatNotAllowedError`, `ValueError`):
no JSON text read by `json_loads` holds one, so they can only come from a caller's own dict.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal

from .money import (
    AmountOutOfRangeError,
    FloatNotAllowedError,
    check_int_magnitude,
    check_magnitude,
    to_decimal,
)
from .unset import UNSET

__all__ = [
    "KIND_READERS",
    "ModelDataError",
    "ModelReader",
    "OddValue",
    "amount",
    "anything",
    "boolean",
    "coerce_enums",
    "enum_of",
    "integer",
    "list_of",
    "model",
    "text",
]

Reader = Callable[[typing.Any], typing.Any]
M = typing.TypeVar("M")
E = typing.TypeVar("E", bound=enum.Enum)


class ModelDataError(ValueError):
    """A dict that cannot become the model: `.model`, `.path` (e.g. `basketItems[1].price`) and `.rule`."""

    def __init__(self, model: str, path: str, rule: str) -> None:
        super().__init__(f"{model}.from_dict: {path or 'the value'}: {rule}")
        self.model = model
        self.path = path
        self.rule = rule

    def under(self, model: str, step: str) -> ModelDataError:
        """The same error seen from an enclosing model (`step` is its key, or `[index]` of a list)."""
        if not self.path:
            path = step
        elif self.path.startswith("["):
            path = step + self.path
        else:
            path = f"{step}.{self.path}"
        return ModelDataError(model, path, self.rule)


class OddValue(Exception):
    """A value that is not of the field's kind; `.rule` says what was expected."""

    def __init__(self, rule: str) -> None:
        super().__init__(rule)
        self.rule = rule


def _shown(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    return f"a {type(value).__name__}" if not isinstance(value, str) else "a string"


def text(value: object) -> str:
    if type(value) is str:
        return value
    raise OddValue(f"must be a string, got {_shown(value)}")


def integer(value: object) -> int:
    if type(value) is int:
        return value
    raise OddValue(f"must be an integer, got {_shown(value)}")


def boolean(value: object) -> bool:
    if type(value) is bool:
        return value
    raise OddValue(f"must be true or false, got {_shown(value)}")


def amount(value: object) -> Decimal:
    """A money value: a finite Decimal, an int or numeric text, bounded; a float is refused outright."""
    if type(value) is Decimal and value.is_finite():
        return check_magnitude(value)
    if isinstance(value, float | Decimal):
        return to_decimal(value)  # FloatNotAllowedError / ValueError: a caller's dict, not the wire
    if type(value) is int:
        try:
            return Decimal(check_int_magnitude(value))
        except AmountOutOfRangeError as error:
            raise OddValue(str(error)) from None
    if type(value) is str:
        try:
            return to_decimal(value)
        except (TypeError, ValueError):
            pass
    raise OddValue(f'must be a decimal amount (a number or numeric text such as "1.5"), got {_shown(value)}')


def anything(value: object) -> object:
    return value


def list_of(element: Reader) -> Reader:
    """A list whose every element `element` reads (one odd element makes the whole list odd)."""

    def read_list(value: object) -> list[typing.Any]:
        if type(value) is not list:
            raise OddValue(f"must be a list, got {_shown(value)}")
        found = []
        for index, item in enumerate(value):
            try:
                found.append(element(item))
            except OddValue as odd:
                raise OddValue(f"element {index} {odd.rule}") from None
            except ModelDataError as error:
                raise error.under(error.model, f"[{index}]") from None
        return found

    return read_list


def model(from_dict: Callable[[Mapping[str, typing.Any]], M]) -> Callable[[typing.Any], M]:
    """A nested model, read by its own `from_dict` (in its own mode)."""

    def read_model(value: object) -> M:
        if type(value) is not dict and not isinstance(value, Mapping):
            raise OddValue(f"must be an object, got {_shown(value)}")
        return from_dict(value)

    return read_model


def enum_of(kind: type[E]) -> Callable[[typing.Any], E]:
    """A request enum: its member, or its value as text (`"TRY"` reads as `Currency.TRY`)."""
    allowed = ", ".join(str(member.value) for member in kind)

    def read_enum(value: object) -> E:
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except ValueError:
            raise OddValue(f"must be one of {allowed}, got {value!r}"[:300]) from None

    return read_enum


KIND_READERS: dict[str, Reader] = {
    "text": text,
    "integer": integer,
    "boolean": boolean,
    "amount": amount,
    "anything": anything,
}


class _Read(typing.Protocol):
    def __call__(self, kind: type[M], source: Mapping[str, typing.Any], /) -> M: ...


class ModelReader:
    """The fields of one generated model and how its `from_dict` reads them (see the module docstring).

    `read(kind, source)` -> the model. Like attrs writes `__init__`, the reader writes itself, on its first
    call, a function with one straight-line step per field (`_compiled`): a value whose type is exactly the
    field's, as a JSON parser gives it, is taken without a call; anything else goes through `_field` (the
    reader, the errors, the odd values). A payment's answer has a few hundred fields: this is most of what
    reading it costs.
    """

    __slots__ = ("fields", "name", "read", "strict")

    def __init__(self, name: str, fields: tuple[tuple[str, str, Reader, bool], ...], *, lenient: bool) -> None:
        self.name = name
        self.fields = fields
        self.strict = not lenient
        self.read: _Read = self._first_read

    def _first_read(self, kind: type[M], source: Mapping[str, typing.Any]) -> M:
        self.read = self._compiled()
        return self.read(kind, source)

    def _field(self, key: str, read: Reader, required: bool, raw: object, rest: dict[str, typing.Any]) -> object:
        """A value not of the field's exact type: read it, or keep it as received (lenient), or refuse it."""
        try:
            return read(raw)
        except OddValue as error:
            if required or self.strict:
                raise ModelDataError(self.name, key, error.rule) from None
            rest[key] = raw  # kept as received, in additional_properties; the field stays UNSET
            return UNSET
        except ModelDataError as error:
            raise error.under(self.name, key) from None
        except (FloatNotAllowedError, AmountOutOfRangeError, ValueError) as error:
            raise type(error)(f"{self.name}.from_dict: {key}: {error}") from None

    def _missing(self, key: str) -> typing.NoReturn:
        raise ModelDataError(self.name, key, "required field missing")

    def _not_an_object(self, source: object) -> typing.NoReturn:
        raise ModelDataError(self.name, "", f"must be an object, got {_shown(source)}")

    def _unknown_key(self, rest: dict[str, typing.Any]) -> typing.NoReturn:
        import difflib  # here: only a refused dict needs it, and importing a model stays cheap

        key = next(iter(rest))
        close = difflib.get_close_matches(key, [field[0] for field in self.fields], n=1)
        raise ModelDataError(self.name, key, "unknown field" + (f" (did you mean {close[0]!r}?)" if close else ""))

    def _compiled(self) -> _Read:
        """`read(kind, source)`: the fields are popped off a copy of `source`, so what is left are the keys the
        model does not have (and, put back, values kept as received): its additional_properties."""
        # Everything the steps use is a default argument, so each is a fast local, not a global lookup.
        bound: dict[str, object] = {
            "_UNSET": UNSET,
            "_dict": dict,
            "_Mapping": Mapping,
            "_field": self._field,
            "_missing": self._missing,
            "_not_an_object": self._not_an_object,
            "_unknown_key": self._unknown_key,
        }
        lines = [
            "    if type(source) is not _dict and not isinstance(source, _Mapping):",
            "        _not_an_object(source)",
            "    rest = _dict(source)",
            "    pop = rest.pop",
        ]
        for index, (key, _, read, required) in enumerate(self.fields):
            value, exact = f"v{index}", _EXACT.get(read)
            bound[f"_read{index}"] = read
            bound[f"_exact{index}"] = exact
            fast = f"type({value}) is _exact{index}" + (f" and {value}.is_finite()" if exact is Decimal else "")
            lines.append(f"    {value} = pop({key!r}, _UNSET)")
            if required:
                lines += [f"    if {value} is _UNSET:", f"        _missing({key!r})", f"    if not ({fast}):"]
            else:
                lines.append(f"    if {value} is not _UNSET and not ({fast}):")
            lines.append(f"        {value} = _field({key!r}, _read{index}, {required}, {value}, rest)")
        if self.strict:
            lines += ["    if rest:", "        _unknown_key(rest)"]
        arguments = ", ".join(f"{name}=v{index}" for index, (_, name, _, _) in enumerate(self.fields))
        lines += [
            f"    instance = kind({arguments})",
            "    instance.additional_properties = rest",
            "    return instance",
        ]
        defaults = ", ".join(f"{name}={name}" for name in bound)
        namespace: dict[str, typing.Any] = dict(bound)
        exec("\n".join([f"def read(kind, source, {defaults}):", *lines]), namespace)  # noqa: S102 - our own source
        return typing.cast(_Read, namespace["read"])


_EXACT: dict[Reader, type] = {text: str, integer: int, boolean: bool, amount: Decimal}


def coerce_enums(instance: object, fields: tuple[tuple[str, type[enum.Enum]], ...]) -> None:
    """After construction: each enum field given as its text value becomes the member (`"TRY"` -> `Currency.TRY`);
    any other value is refused with the model, the field and the allowed values."""
    for name, kind in fields:
        value = getattr(instance, name)
        if value is UNSET or isinstance(value, kind):
            continue
        try:
            setattr(instance, name, kind(value))
        except ValueError:
            allowed = ", ".join(str(member.value) for member in kind)
            raise ValueError(
                f"{type(instance).__name__}.{name}: {value!r} is not one of {allowed} (use {kind.__name__}.<member>)"[
                    :400
                ]
            ) from None
