"""Queries per request of bench/run.py's endpoints: each read once to warm up, then once more
through Django's test client with the queries captured (the throttle's count included).

    python -m bench.queries '[{"path": "/api/v1/lessons/", "headers": {}}]'   # prints [2]
"""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main(spec: list[dict]) -> list[int]:
    client = Client(HTTP_HOST="127.0.0.1")
    counts = []
    for item in spec:
        headers = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in item["headers"].items()}
        client.get(item["path"], **headers)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(item["path"], **headers)
        if response.status_code not in (200, 304):
            raise SystemExit(f"{item['path']}: {response.status_code}")
        counts.append(len(captured))
    return counts


if __name__ == "__main__":
    print(json.dumps(main(json.loads(sys.argv[1]))))
