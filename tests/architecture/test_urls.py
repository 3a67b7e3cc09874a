"""The tracking rooms move must not change a single page address (issue 10)."""

from tests.architecture.url_inventory import RECORDED, inventory


def test_every_url_name_reverses_to_the_path_recorded_before_the_rooms_move():
    recorded = RECORDED.read_text(encoding="utf-8").splitlines()
    assert inventory() == recorded


def test_the_recorded_list_covers_every_room():
    names = {line.split()[0] for line in RECORDED.read_text(encoding="utf-8").splitlines()}
    for expected in ("tracking:dashboard", "ledger:audit_log", "delivery:log", "reports:export", "notices:list"):
        assert expected in names
