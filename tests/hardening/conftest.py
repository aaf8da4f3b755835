import pytest

from tests.api.conftest import _fresh_throttle_counts, api, editor_api, publisher_api  # noqa: F401


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def stored_files(root) -> list:
    return sorted(p for p in root.rglob("*") if p.is_file())
