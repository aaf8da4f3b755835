"""Bad input made from the API's own OpenAPI schema: every operation with a body, every field.

For each field the schema describes, values of the wrong type, too long, too deep, with
characters a database cannot store, out of range, not one of the choices, not a date: what a
clumsy client or an attacker sends. An endpoint or a field added to the router is covered
without touching this file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

# Fields whose strings are dates (history/dates.py reads them).
DATE_FIELDS = {"date_edtf", "publication_date"}
BAD_DATES = ["1956-25", "1956-41", "Y170000002", "156X-12-25", "1956-02-30", "yesterday",
             "[1667,1668]", "1985-04-12T23:20:30", "0 BCE", "10 November – 23 October 1956"]  # fmt: skip


@dataclass(frozen=True)
class Case:
    field: str
    label: str
    value: object
    # "shape": the serializer refuses it whatever else the body holds, naming the field;
    # "meaning": refused once the rest of the body is valid (a date that cannot be read).
    level: str = "shape"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as in the schema: /api/v1/events/{slug}/
    fields: dict  # property name → resolved schema

    @property
    def name(self) -> str:
        return f"{self.method.upper()} {self.path}"


@cache
def schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(node: dict) -> dict:
    """A property's schema with $ref, allOf and oneOf (enums, blank, null) folded in."""
    components = schema()["components"]["schemas"]
    if "$ref" in node:
        return resolve(components[node["$ref"].rsplit("/", 1)[-1]])
    merged = {k: v for k, v in node.items() if k not in ("allOf", "oneOf", "anyOf")}
    for key in ("allOf", "oneOf", "anyOf"):
        for part in node.get(key, []):
            part = resolve(part)
            if "enum" in part:
                merged["enum"] = [*merged.get("enum", []), *part["enum"]]
            if part.get("nullable") or part.get("type") == "null" or part.get("enum") == [None]:
                merged["nullable"] = True
            for k, v in part.items():
                merged.setdefault(k, v)
    if "items" in merged:
        merged["items"] = resolve(merged["items"])
    return merged


def operations() -> list[Operation]:
    found = []
    for path, methods in schema()["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if not body:
                continue
            properties = resolve(body["schema"]).get("properties", {})
            fields = {
                name: resolve(prop) for name, prop in properties.items() if not prop.get("readOnly")
            }
            found.append(Operation(method, path, fields))
    return found


def _deep(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


def _string_cases(name: str, prop: dict) -> list[Case]:
    cases = [
        Case(name, "a number", 5),
        Case(name, "true", True),
        Case(name, "a list", ["x"]),
        Case(name, "an object", {"a": "b"}),
        Case(name, "NUL", "Poznań\x00"),
        Case(name, "a lone surrogate", "\ud800"),
        Case(name, "the control character BEL", "ring\x07"),
        Case(name, "an ANSI escape", "\x1b[31mred"),
        Case(name, "a vertical tab", "a\x0bb"),
    ]
    if not prop.get("nullable"):
        cases.append(Case(name, "null", None))
    if "maxLength" in prop:
        cases.append(Case(name, "one character too long", "ő" * (prop["maxLength"] + 1)))
    if "enum" in prop:
        cases.append(Case(name, "not one of the choices", "no-such-choice"))
    if "pattern" in prop:
        cases.append(Case(name, "not a slug", "a b/ö"))
    if prop.get("format") == "date-time":
        cases.append(Case(name, "not a time", "yesterday"))
    if prop.get("format") == "uri":
        cases += [Case(name, "a javascript: URL", "javascript:alert(1)"),
                  Case(name, "not a URL", "not a url")]  # fmt: skip
    if name in DATE_FIELDS:
        cases += [Case(name, f"the date {date!r}", date, "meaning") for date in BAD_DATES]
    return cases


def _integer_cases(name: str, prop: dict) -> list[Case]:
    cases = [
        Case(name, "a string of digits", "5"),
        Case(name, "a fraction", 1.5),
        Case(name, "true", True),
        Case(name, "a list", [1]),
        # Whole numbers the serializer may take (no maximum) and a service then refuses.
        Case(name, "2**70", 2**70, "meaning" if "maximum" not in prop else "shape"),
        Case(name, "-2**70", -(2**70)),
    ]
    if not prop.get("nullable"):
        cases.append(Case(name, "null", None))
    if "minimum" in prop:
        cases.append(Case(name, "below the minimum", prop["minimum"] - 1))
    if "maximum" in prop:
        cases.append(Case(name, "above the maximum", prop["maximum"] + 1))
    return cases


def _array_cases(name: str, prop: dict) -> list[Case]:
    cases = [
        Case(name, "a string", "x"),
        Case(name, "an object", {}),
        Case(name, "null", None),
        Case(name, "lists 40 deep", _deep(40)),
        Case(name, "a list of lists", [[1]]),
    ]
    items = prop.get("items", {})
    if items.get("type") == "string":
        cases += [Case(name, "an item that is a number", [5]),
                  Case(name, "an item with NUL", ["a\x00b"]),
                  Case(name, "an item with a lone surrogate", ["\ud800"]),
                  Case(name, "an item that is null", [None])]  # fmt: skip
    if items.get("type") == "integer":
        cases += [Case(name, "an item that is a string", ["x"]),
                  Case(name, "an item that is 2**70", [2**70]),
                  Case(name, "an item that is true", [True])]  # fmt: skip
    if "maxItems" in prop:
        cases.append(Case(name, "too many items", list(range(1, prop["maxItems"] + 2))))
    if prop.get("minItems"):
        cases.append(Case(name, "no items", []))
    if prop.get("uniqueItems"):
        cases.append(Case(name, "an item twice", [1, 1], "meaning"))
    return cases


def _boolean_cases(name: str, prop: dict) -> list[Case]:
    return [Case(name, "a string", "true"), Case(name, "a number", 1),
            Case(name, "a list", [True]), Case(name, "null", None)]  # fmt: skip


def _any_json_cases(name: str, prop: dict) -> list[Case]:
    """A field the schema gives no type (a JSONField): what no JSON field may hold."""
    return [Case(name, "lists 40 deep", _deep(40)),
            Case(name, "a string with NUL", ["a\x00b"]),
            Case(name, "a lone surrogate", ["\ud800"]),
            Case(name, "a key with NUL", {"a\x00": 1}),
            Case(name, "a control character", ["\x07"])]  # fmt: skip


def cases_for(operation: Operation) -> list[Case]:
    cases = []
    for name, prop in operation.fields.items():
        kind = prop.get("type")
        if kind == "string" or (kind is None and "enum" in prop):
            cases += _string_cases(name, prop)
        elif kind == "integer":
            cases += _integer_cases(name, prop)
        elif kind == "array":
            cases += _array_cases(name, prop)
        elif kind == "boolean":
            cases += _boolean_cases(name, prop)
        elif kind is None:
            cases += _any_json_cases(name, prop)
        else:
            raise AssertionError(f"{operation.name}: no bad input made for {name} ({prop})")
    return cases


# Whole bodies that are wrong whatever the fields: (label, raw body, content type, status).
BAD_BODIES = [
    ("a list, not an object", "[]", "application/json", 400),
    ("a string, not an object", '"x"', "application/json", 400),
    ("not JSON", "{", "application/json", 400),
    ("NaN", '{"a": NaN}', "application/json", 400),
    ("Infinity", '{"a": -Infinity}', "application/json", 400),
    ("nested 100,000 deep", "[" * 100_000 + "]" * 100_000, "application/json", 400),
    ("nested 33 deep", "[" * 33 + "]" * 33, "application/json", 400),
    ("not UTF-8", b'{"a": "\xff\xfe"}', "application/json", 400),
    ("UTF-16", '{"a": 1}'.encode("utf-16"), "application/json", 400),
    ("a NUL in a key", '{"a\\u0000": 1}', "application/json", 400),
    ("a lone surrogate in a key", '{"\\udc00": 1}', "application/json", 400),
    ("6 MB", '{"a": "' + "x" * 6_000_000 + '"}', "application/json", 413),
    ("a form, not JSON", "a=1", "application/x-www-form-urlencoded", 415),
    ("XML", "<a/>", "application/xml", 415),
]
