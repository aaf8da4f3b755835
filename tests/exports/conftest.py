from tests.api.conftest import _fresh_throttle_counts, api, editor_api, publisher_api  # noqa: F401
