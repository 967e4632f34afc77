"""Role limits on organisational units, proven from outside over XML-RPC.

A real server (tests/conftest.py) serves a database with the demo data. Staff
of one unit read every unit's name but cannot create units nor change another
unit; a manager can do both.
"""

import secrets
import xmlrpc.client

import pytest
from conftest import assert_access_error

STAFF = "danvan.staff.phuonglam"
MANAGER = "danvan.manager"
UNIT_A = "danvan_chinh_quyen.demo_unit_th_phuong_lam"  # the staff user's unit
UNIT_B = "danvan_chinh_quyen.demo_unit_pgd_da_bac"  # another unit


@pytest.fixture(scope="module")
def units(admin):
    return {"a": admin.ref(UNIT_A), "b": admin.ref(UNIT_B)}


@pytest.fixture(scope="module")
def staff(odoo_login):
    return odoo_login(STAFF)


@pytest.fixture(scope="module")
def manager(odoo_login):
    return odoo_login(MANAGER)


def _new_code():
    return f"TEST-{secrets.token_hex(4).upper()}"


def test_staff_belongs_to_unit_a(staff, units):
    me = staff.read_one("res.users", staff.uid, ["danvan_unit_id"])
    assert me["danvan_unit_id"] and me["danvan_unit_id"][0] == units["a"]


def test_staff_reads_unit_names(staff, units):
    rows = staff.execute(
        "danvan.unit",
        "search_read",
        [("id", "in", [units["a"], units["b"]])],
        fields=["name", "parent_id"],
    )
    assert {row["id"] for row in rows} == {units["a"], units["b"]}
    assert all(row["name"] for row in rows)
    # the whole tree is readable, not only the user's own unit
    assert staff.execute("danvan.unit", "search_count", []) > 2


def test_staff_cannot_create_unit(staff, admin, units):
    code = _new_code()
    with pytest.raises(xmlrpc.client.Fault) as caught:
        staff.execute(
            "danvan.unit",
            "create",
            {"name": "Đơn vị trái phép", "code": code, "parent_id": units["a"]},
        )
    assert_access_error(caught.value)
    assert (
        admin.execute(
            "danvan.unit",
            "search_count",
            [("code", "=", code)],
            context={"active_test": False},
        )
        == 0
    )


def test_staff_cannot_write_other_unit(staff, admin, units):
    before = admin.read_one("danvan.unit", units["b"], ["name", "email"])
    with pytest.raises(xmlrpc.client.Fault) as caught:
        staff.execute(
            "danvan.unit", "write", [units["b"]], {"name": "Đã bị sửa trái phép"}
        )
    assert_access_error(caught.value)
    with pytest.raises(xmlrpc.client.Fault) as caught:
        staff.execute(
            "danvan.unit", "write", [units["b"]], {"email": "intruder@example.com"}
        )
    assert_access_error(caught.value)
    after = admin.read_one("danvan.unit", units["b"], ["name", "email"])
    assert after == before


def test_manager_creates_and_writes_units(manager, admin, units):
    unit_b = admin.read_one("danvan.unit", units["b"], ["type_id", "email"])
    code = _new_code()
    vals = {"name": "Trường thử nghiệm", "code": code, "parent_id": units["b"]}
    if unit_b["type_id"]:
        vals["type_id"] = unit_b["type_id"][0]
    new_id = manager.execute("danvan.unit", "create", vals)
    try:
        assert isinstance(new_id, int)
        manager.execute(
            "danvan.unit", "write", [new_id], {"name": "Trường thử nghiệm (đã sửa)"}
        )
        created = admin.read_one("danvan.unit", new_id, ["name", "code", "parent_id"])
        assert created["name"] == "Trường thử nghiệm (đã sửa)"
        assert created["code"] == code
        assert created["parent_id"][0] == units["b"]

        # the manager also changes an existing unit (B), then puts it back
        manager.execute(
            "danvan.unit", "write", [units["b"]], {"email": "pgd.test@example.com"}
        )
        assert (
            admin.read_one("danvan.unit", units["b"], ["email"])["email"]
            == "pgd.test@example.com"
        )
        manager.execute(
            "danvan.unit", "write", [units["b"]], {"email": unit_b["email"]}
        )
    finally:
        admin.execute("danvan.unit", "unlink", [new_id])
