"""Settings for the test suite: the project's settings with TESTING on."""

import os

os.environ["TESTING"] = "1"

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
