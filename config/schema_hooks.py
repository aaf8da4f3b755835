"""drf-spectacular post-processing: what the API refuses, said in its schema.

A NUL character in a query parameter is refused with 400 (config/middleware.py: PostgreSQL
cannot compare it); the schema says so with a pattern on every string parameter, so that
clients and schemathesis know it is not valid input.
"""

NO_NUL = "^[^\\u0000]*$"


def no_nul_in_string_parameters(result, generator, request, public):
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter.get("in") == "query" and schema.get("type") == "string":
                    schema.setdefault("pattern", NO_NUL)
    return result
