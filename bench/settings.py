"""Settings for benchmarks: production's, with a bare view beside the project's URLs and the
API's throttle out of the way (a load test is not a client to throttle)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {"anon": "100000000/minute", "user": "100000000/minute"}  # noqa: F405
