"""The unit isolation pattern (danvan.unit.mixin), proven on the two record
types that use it: unit reports and 'Dân vận khéo' registrations."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import DanvanCase


@tagged("post_install", "-at_install")
class TestDanvanUnitMixin(DanvanCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._issue(cls._make_plan())
        cls.Report = cls.env["danvan.unit.report"]
        cls.Registration = cls.env["danvan.model.registration"]
        cls.report_a = cls._report(cls.plan, cls.school_a1)
        cls.report_a2 = cls._report(cls.plan, cls.school_a2)
        cls.report_b = cls._report(cls.plan, cls.school_b1)
        cls.field = cls.env.ref("danvan_chinh_quyen.model_field_economy")
        cls.reg_a = (
            cls.Registration.with_user(cls.staff_a)
            .create(
                {
                    "name": "Mô hình A1",
                    "plan_id": cls.plan.id,
                    "field_id": cls.field.id,
                    "member_name": "Chi bộ A1",
                }
            )
            .with_env(cls.env)
        )
        cls.reg_b = (
            cls.Registration.with_user(cls.staff_b)
            .create(
                {
                    "name": "Mô hình B1",
                    "plan_id": cls.plan.id,
                    "field_id": cls.field.id,
                    "member_name": "Chi bộ B1",
                }
            )
            .with_env(cls.env)
        )

    def test_default_unit_is_the_users(self):
        self.assertEqual(self.reg_a.unit_id, self.school_a1)
        self.assertEqual(self.reg_b.unit_id, self.school_b1)
        self.assertEqual(self.reg_a.unit_type_id, self.type_school)
        self.assertEqual(self.report_a.unit_type_id, self.type_school)

    def test_staff_isolated_from_other_unit(self):
        for record, own in ((self.report_b, self.report_a), (self.reg_b, self.reg_a)):
            with self.subTest(model=record._name):
                Model = self.env[record._name].with_user(self.staff_a)
                self.assertEqual(
                    Model.search([("plan_id", "=", self.plan.id)]).unit_id,
                    self.school_a1,
                )
                with self.assertRaises(AccessError):
                    record.with_user(self.staff_a).read(["name"])
                with self.assertRaises(AccessError):
                    record.with_user(self.staff_a).write(
                        {
                            "content"
                            if record._name == "danvan.model.registration"
                            else "general_assessment": "<p>x</p>"
                        }
                    )
                with self.assertRaises(AccessError):
                    record.with_user(self.staff_a).message_post(body="Tin nhắn lạ")
                # the own unit's record is readable and writable
                own.with_user(self.staff_a).read(["name"])
        self.reg_a.with_user(self.staff_a).write({"content": "<p>Nội dung</p>"})
        self.assertEqual(str(self.reg_a.content), "<p>Nội dung</p>")
        self.report_a.with_user(self.staff_a).write(
            {"general_assessment": "<p>Tốt</p>"}
        )
        self.assertEqual(str(self.report_a.general_assessment), "<p>Tốt</p>")

    def test_staff_cannot_create_for_other_unit(self):
        Registration = self.Registration.with_user(self.staff_a)
        with self.assertRaises(AccessError):
            Registration.create(
                {
                    "name": "Mô hình lạ",
                    "plan_id": self.plan.id,
                    "unit_id": self.school_b1.id,
                }
            )
        # even for a sub-unit of its own office, a staff without headship
        with self.assertRaises(AccessError):
            Registration.create(
                {
                    "name": "Mô hình lạ",
                    "plan_id": self.plan.id,
                    "unit_id": self.school_a2.id,
                }
            )
        # reports are created by the plan only
        with self.assertRaises(UserError):
            self.Report.with_user(self.staff_a).create(
                {
                    "plan_id": self.plan.id,
                    "period_id": self.plan.period_ids[0].id,
                    "unit_id": self.school_a1.id,
                }
            )
        self.assertFalse(self.Registration.search([("name", "=", "Mô hình lạ")]))

    def test_head_sees_sub_units(self):
        reg_a2 = self.Registration.with_user(self.head1).create(
            {
                "name": "Mô hình A2",
                "plan_id": self.plan.id,
                "unit_id": self.school_a2.id,
            }
        )
        self.assertEqual(reg_a2.unit_id, self.school_a2)
        seen = self.Registration.with_user(self.head1).search([])
        self.assertEqual(seen, self.reg_a | reg_a2)
        reports = self.Report.with_user(self.head1).search([])
        self.assertEqual(reports.unit_id, self.pgd1 | self.school_a1 | self.school_a2)
        self.report_a2.with_user(self.head1).write({"general_assessment": "<p>Ghi</p>"})
        with self.assertRaises(AccessError):
            self.report_b.with_user(self.head1).read(["name"])
        with self.assertRaises(AccessError):
            self.reg_b.with_user(self.head1).write({"goal": "<p>x</p>"})

    def test_officer_sees_all(self):
        reports = self.Report.with_user(self.officer).search(
            [("plan_id", "=", self.plan.id)]
        )
        self.assertEqual(len(reports), 12)
        self.assertEqual(reports.unit_id, self.participants)
        regs = self.Registration.with_user(self.officer).search(
            [("plan_id", "=", self.plan.id)]
        )
        self.assertEqual(regs, self.reg_a | self.reg_b)
        self.report_b.with_user(self.officer).read(["name", "state"])

    def test_workflow_fields_not_writable(self):
        cases = [
            (self.report_a, {"state": "submitted"}),
            (self.report_a, {"state": "accepted"}),
            (self.report_a, {"date_submitted": "2025-05-01 00:00:00"}),
            (self.report_a, {"is_late": True}),
            (self.report_a, {"period_id": self.plan.period_ids[1].id}),
            (self.reg_a, {"state": "recognised"}),
            (self.reg_a, {"date_registered": "2025-03-01 00:00:00"}),
            (self.reg_a, {"date_recognised": "2025-12-01"}),
        ]
        for record, vals in cases:
            for user in (self.staff_a, self.officer, self.manager):
                with self.subTest(model=record._name, vals=vals, user=user.login):
                    with self.assertRefused(
                        UserError, "change only through the buttons"
                    ):
                        record.with_user(user).write(vals)
        self.assertEqual(self.report_a.state, "draft")
        self.assertFalse(self.report_a.date_submitted)
        self.assertEqual(self.reg_a.state, "draft")

    def test_workflow_fields_not_in_create(self):
        base = {"plan_id": self.plan.id, "field_id": self.field.id, "member_name": "Tổ"}
        for user in (self.staff_a, self.officer, self.manager):
            Registration = self.Registration.with_user(user)
            for extra in (
                {"state": "approved"},
                {"state": "recognised"},
                {"date_registered": "2025-03-01 00:00:00"},
                {"date_recognised": "2025-12-01"},
            ):
                with self.subTest(user=user.login, extra=extra):
                    with self.assertRaises(UserError):
                        Registration.create(
                            dict(
                                base,
                                name=f"Mô hình {user.id}",
                                unit_id=self.school_a1.id,
                                **extra,
                            )
                        )
            with self.subTest(user=user.login, model="report"):
                with self.assertRaises(UserError):
                    self.Report.with_user(user).create(
                        {
                            "plan_id": self.plan.id,
                            "period_id": self.plan.period_ids[0].id,
                            "unit_id": self.school_a1.id,
                            "state": "accepted",
                        }
                    )
        # the initial state is allowed
        reg = self.Registration.with_user(self.staff_a).create(
            dict(base, name="Mô hình nháp", state="draft")
        )
        self.assertEqual(reg.state, "draft")
        self.assertFalse(
            self.Registration.search(
                [
                    ("plan_id", "=", self.plan.id),
                    ("state", "in", ("approved", "recognised")),
                ]
            )
        )

    def test_unit_change_refused_to_staff(self):
        with self.assertRaises(AccessError):
            self.report_a.with_user(self.staff_a).write({"unit_id": self.school_a2.id})
        with self.assertRaises(AccessError):
            self.reg_a.with_user(self.staff_a).write({"unit_id": self.school_a2.id})
        # a head may not move records between its sub-units either
        with self.assertRaises(AccessError):
            self.reg_a.with_user(self.head1).write({"unit_id": self.school_a2.id})
        self.assertEqual(self.reg_a.unit_id, self.school_a1)
        # an officer may fix the unit of a registration
        self.reg_a.with_user(self.officer).write({"unit_id": self.school_a2.id})
        self.assertEqual(self.reg_a.unit_id, self.school_a2)

    def test_review_fields_refused_to_staff(self):
        with self.assertRaises(AccessError):
            self.report_a.with_user(self.staff_a).write({"review_note": "Tự duyệt"})
        for vals in (
            {"review_note": "x"},
            {"rating": "excellent"},
            {"evaluation_note": "x"},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                self.reg_a.with_user(self.staff_a).write(vals)
            with self.subTest(vals=vals, create=True), self.assertRaises(AccessError):
                self.Registration.with_user(self.staff_a).create(
                    dict(
                        vals,
                        name=f"Mô hình tự chấm {list(vals)[0]}",
                        plan_id=self.plan.id,
                    )
                )
        self.assertFalse(self.reg_a.rating)
        self.assertFalse(self.report_a.review_note)
        # officers write the review fields
        self.report_a.with_user(self.officer).write({"review_note": "Bổ sung số liệu"})
        self.assertEqual(self.report_a.review_note, "Bổ sung số liệu")
        self.reg_a.with_user(self.officer).write({"rating": "good"})
        self.assertEqual(self.reg_a.rating, "good")

    def test_content_locked_outside_open_states(self):
        self.report_a.with_user(self.staff_a).action_submit()
        self.reg_a.with_user(self.staff_a).action_register()
        for user in (self.staff_a, self.officer, self.manager):
            with self.subTest(user=user.login):
                with self.assertRefused(UserError, "can no longer be changed"):
                    self.report_a.with_user(user).write(
                        {"general_assessment": "<p>Sửa</p>"}
                    )
                with self.assertRefused(UserError, "can no longer be changed"):
                    self.reg_a.with_user(user).write({"goal": "<p>Sửa</p>"})
        self.assertFalse(self.report_a.general_assessment)
        # chatter and review stay possible
        self.report_a.with_user(self.staff_a).message_post(body="Đã gửi báo cáo")
        self.report_a.with_user(self.officer).write({"review_note": "Cần bổ sung"})
        self.assertEqual(self.report_a.review_note, "Cần bổ sung")
