"""The order in which `make test` starts the test files names files that exist."""

from tests.conftest import FIRST, ROOT


def test_every_file_started_first_exists():
    assert [name for name in FIRST if not (ROOT / name).is_file()] == []
    assert len(set(FIRST)) == len(FIRST)
