"""Settings for the test suite: the project's settings with TESTING on."""

import os

os.environ["TESTING"] = "1"

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only

# In process memory: throttle counts and health checks stay out of the queries that tests
# count. tests/operations/test_throttling.py tests the shared caches (database, Redis).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "served": CACHES["served"],  # noqa: F405 (kept bodies: off unless a test turns them on)
}
