"""The daily deadline job: to-dos, reminders, overdue notices, digests.

The test plan (tests/common.py) is of 2025: registrations due 15/03, the
mid-year reports due 10/05, the year-end reports 30/10. Clocks are frozen
in UTC; Vietnam is UTC+7 (03:00 UTC is 10:00 in Vietnam).
"""

import logging
import re
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from markupsafe import escape

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail, mail_new_test_user

from ..models import danvan_plan_deadline
from .common import GROUP_USER, DanvanCase, count_queries

_logger = logging.getLogger(__name__)
INSERT_RE = re.compile(r"^\s*INSERT\s+INTO\s", re.IGNORECASE)
MAIL_FROM = '"Sở Test" <danvan-test@example.com>'


class DeadlineCase(DanvanCase, MockEmail):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        icp = cls.env["ir.config_parameter"].sudo()
        icp.set_param("danvan_chinh_quyen.reminder_offsets", "7,1")
        icp.set_param("danvan_chinh_quyen.notify_who", "both")
        icp.set_param("danvan_chinh_quyen.mail_from", MAIL_FROM)
        icp.set_param("danvan_chinh_quyen.notify_task_leads", "1")
        icp.set_param("danvan_chinh_quyen.digest_partner_ids", False)
        icp.set_param("danvan_chinh_quyen.digest_emails", False)
        icp.set_param("danvan_chinh_quyen.catchup_days", False)
        # the Office has a head, who receives the digests with the officer
        cls.office_head = mail_new_test_user(
            cls.env,
            login="t_danvan_office_head",
            name="Test Office Head",
            email="office.head@test.example.com",
            groups=f"base.group_user,{GROUP_USER}",
        )
        cls.office.head_user_id = cls.office_head
        cls.base_url = cls.env["ir.config_parameter"].sudo().get_param("web.base.url")
        # plans of the database (demo data) are out of these tests' way
        cls.env["danvan.plan"].search([("state", "=", "issued")])._workflow_write(
            {"state": "closed"}
        )
        with freeze_time("2025-01-10 03:00:00"):
            cls.plan = cls._issue(
                cls._make_plan(
                    tasks=[
                        {
                            "name": "Công tác chỉ đạo",
                            "lead_unit_id": cls.pgd1.id,
                            "date_deadline": date(2025, 6, 30),
                        },
                        "Cải cách hành chính",
                    ]
                )
            )
        cls.period_mid = cls.plan.period_ids.sorted("date_deadline")[0]
        cls.task = cls.plan.task_ids.sorted("sequence")[0]

    # helpers -----------------------------------------------------------

    def run_job(self, when):
        """Run the scheduled action's code at the UTC time ``when``; return
        the mails it queued."""
        with freeze_time(when), self.mock_mail_gateway():
            self.env["danvan.plan"]._cron_deadline_reminders()
            self.env.flush_all()
        return self._new_mails

    def mails_about(self, mails, record):
        return mails.filtered(
            lambda m: (m.model, m.res_id) == (record._name, record.id)
        )

    def submit(self, report, user, when):
        with freeze_time(when):
            report.with_user(user).action_submit()

    def report(self, unit, period=None):
        return self._report(self.plan, unit, period or self.period_mid)

    def assertMailTo(self, mail, partners=(), emails=""):
        self.assertEqual(mail.recipient_ids, self.env["res.partner"].concat(*partners))
        self.assertEqual(mail.email_to or "", emails)
        self.assertEqual(mail.email_from, MAIL_FROM)


@tagged("post_install", "-at_install", "danvan_deadline")
class TestDeadlineReminders(DeadlineCase):
    def test_cron_record(self):
        cron = self.env.ref("danvan_chinh_quyen.ir_cron_danvan_deadlines")
        self.assertEqual(cron.model_id.model, "danvan.plan")
        self.assertEqual(cron.code.strip(), "model._cron_deadline_reminders()")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        self.assertTrue(cron.active)

    def test_report_reminders_on_their_days_only(self):
        sent = {}
        for day in range(2, 12):
            mails = self.run_job(f"2025-05-{day:02d} 03:00:00")
            sent[day] = mails.filtered(lambda m: m.model == "danvan.unit.report")
        self.assertEqual(
            [d for d, mails in sent.items() if mails and d < 11],
            [3, 9],
            "report reminders 7 and 1 days before 10/05, not the days around",
        )
        # 7 days before: one mail per unit with an address (PGD Hai has none)
        self.assertEqual(len(sent[3]), 5)
        a1 = self.mails_about(sent[3], self.report(self.school_a1))
        self.assertMailTo(a1, [self.staff_a.partner_id])
        self.assertIn("ngày 10 tháng 5 năm 2025", a1.subject)
        self.assertEqual(
            a1.subject,
            "Reminder: report 6 tháng đầu năm of Trường A1 due "
            "ngày 10 tháng 5 năm 2025",
        )
        url = (
            f"{self.base_url}/odoo/danvan.unit.report/{self.report(self.school_a1).id}"
        )
        self.assertIn(f'href="{url}"', a1.body_html)
        self.assertIn("(7 day(s) left)", a1.body_html)
        self.assertIn(self.plan.number, a1.body_html)
        # the head of PGD Một is also its staff: one recipient
        pgd1 = self.mails_about(sent[3], self.report(self.pgd1))
        self.assertMailTo(pgd1, [self.head1.partner_id])
        # a school without people: its own address
        a2 = self.mails_about(sent[3], self.report(self.school_a2))
        self.assertMailTo(a2, [self.school_a2.partner_id])
        self.assertIn("(1 day(s) left)", sent[9][0].body_html)
        # the year-end period is not concerned
        self.assertFalse(sent[3].filtered(lambda m: "Cả năm" in m.subject))

    def test_second_run_sends_nothing(self):
        first = self.run_job("2025-05-03 01:00:00")
        self.assertEqual(len(first), 5)
        self.assertFalse(self.run_job("2025-05-03 09:00:00"))
        logs = self.env["danvan.reminder.log"].search(
            [("kind", "=", "before_7"), ("plan_id", "=", self.plan.id)]
        )
        self.assertEqual(len(logs), 6)
        self.assertEqual(logs.unit_id, self.participants)
        no_address = logs.filtered(lambda log: log.unit_id == self.pgd2)
        self.assertEqual(no_address.state, "no_recipient")
        self.assertFalse(no_address.mail_id)
        self.assertEqual(
            logs.filtered(lambda log: log.unit_id == self.school_a1).recipients,
            self.staff_a.email,
        )

    def test_submitted_units_get_no_reminder(self):
        self.submit(self.report(self.school_a1), self.staff_a, "2025-05-02 03:00:00")
        mails = self.run_job("2025-05-03 03:00:00")
        self.assertFalse(self.mails_about(mails, self.report(self.school_a1)))
        self.assertEqual(len(mails), 4)

    def test_returned_report_is_reminded(self):
        report = self.report(self.school_a1)
        self.submit(report, self.staff_a, "2025-05-01 03:00:00")
        report.with_user(self.officer).review_note = "Thiếu số liệu"
        with freeze_time("2025-05-01 04:00:00"):
            report.with_user(self.officer).action_return()
        mails = self.run_job("2025-05-03 03:00:00")
        self.assertEqual(len(self.mails_about(mails, report)), 1)

    def test_notify_who(self):
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param("danvan_chinh_quyen.notify_who", "head")
        mails = self.run_job("2025-05-03 03:00:00")
        # no head: the unit's own address
        self.assertMailTo(
            self.mails_about(mails, self.report(self.school_a1)),
            [self.school_a1.partner_id],
        )
        self.assertMailTo(
            self.mails_about(mails, self.report(self.pgd1)), [self.head1.partner_id]
        )

    def test_already_claimed_reminder_is_skipped(self):
        """A row of the log (a concurrent run's) means: do not send."""
        report = self.report(self.school_a1)
        self.env["danvan.reminder.log"].sudo()._claim(
            [
                {
                    "res_model": report._name,
                    "res_id": report.id,
                    "kind": "before_7",
                    "deadline": report.date_deadline,
                    "unit_id": report.unit_id.id,
                    "plan_id": report.plan_id.id,
                }
            ],
            date(2025, 5, 3),
        )
        mails = self.run_job("2025-05-03 03:00:00")
        self.assertFalse(self.mails_about(mails, report))
        self.assertEqual(len(mails), 4)

    def test_offsets_setting(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "danvan_chinh_quyen.reminder_offsets", "3"
        )
        self.assertFalse(self.run_job("2025-05-03 03:00:00"))
        self.assertEqual(len(self.run_job("2025-05-07 03:00:00")), 5)


@tagged("post_install", "-at_install", "danvan_deadline")
class TestDeadlineOverdue(DeadlineCase):
    def test_overdue_and_digest_day_after(self):
        self.submit(self.report(self.school_a1), self.staff_a, "2025-05-08 03:00:00")
        self.submit(self.report(self.school_b1), self.staff_b, "2025-05-10 16:30:00")
        on_deadline = self.run_job("2025-05-10 09:00:00")
        self.assertFalse(on_deadline.filtered(lambda m: "Overdue" in m.subject))
        mails = self.run_job("2025-05-11 02:00:00")
        overdue = mails.filtered(lambda m: m.subject.startswith("Overdue"))
        # open reports: PGD Một (head), A2, B2 (their addresses); PGD Hai has none
        self.assertEqual(
            sorted(overdue.mapped("res_id")),
            sorted(
                self.report(u).id for u in (self.pgd1, self.school_a2, self.school_b2)
            ),
        )
        pgd1 = self.mails_about(overdue, self.report(self.pgd1))
        self.assertMailTo(pgd1, [self.head1.partner_id])
        self.assertEqual(
            pgd1.subject,
            "Overdue: report 6 tháng đầu năm of Phòng GD&ĐT Một was due "
            "ngày 10 tháng 5 năm 2025",
        )
        digest = self.mails_about(mails, self.period_mid)
        self.assertEqual(len(digest), 1)
        self.assertMailTo(
            digest, [self.office_head.partner_id, self.officer.partner_id]
        )
        self.assertEqual(
            digest.subject,
            f"Late and missing reports: 6 tháng đầu năm ({self.plan.display_name})",
        )
        self.assertIn("ngày 10 tháng 5 năm 2025", digest.body_html)
        for unit in (self.pgd1, self.pgd2, self.school_a2, self.school_b2):
            self.assertIn(escape(unit.name), digest.body_html)
            url = f"{self.base_url}/odoo/danvan.unit.report/{self.report(unit).id}"
            self.assertIn(url, digest.body_html)
        for unit in (self.school_a1, self.school_b1):  # on time
            self.assertNotIn(unit.name, digest.body_html)
        self.assertIn("4 unit(s) are late or have not submitted", digest.body_html)
        # the day after, and later: nothing again
        self.assertFalse(self.run_job("2025-05-12 03:00:00"))
        self.assertFalse(self.run_job("2025-05-13 03:00:00"))
        # the reports were marked late
        self.assertTrue(self.report(self.pgd1).is_late)

    def test_timezone_boundary(self):
        """23:30 on the deadline day (Vietnam) is on time, 00:10 the next day
        is late; the job of 23:59 does not send the overdue notices yet."""
        self.submit(self.report(self.school_a1), self.staff_a, "2025-05-10 16:30:00")
        self.submit(self.report(self.school_b1), self.staff_b, "2025-05-10 17:10:00")
        self.assertFalse(self.report(self.school_a1).is_late)
        self.assertTrue(self.report(self.school_b1).is_late)
        before_midnight = self.run_job("2025-05-10 16:59:00")
        self.assertFalse(before_midnight)
        after_midnight = self.run_job("2025-05-10 17:30:00")
        digest = self.mails_about(after_midnight, self.period_mid)
        self.assertEqual(len(digest), 1)
        self.assertNotIn("Trường A1", digest.body_html)
        b1_row = re.search(
            r"<tr>\s*<td[^>]*>Trường B1</td>(.*?)</tr>", digest.body_html, re.S
        )
        self.assertTrue(b1_row, "the late school is listed")
        self.assertIn("Late", b1_row.group(1))
        self.assertIn("11/05/2025", b1_row.group(1))
        # a late submission is no overdue notice
        self.assertFalse(self.mails_about(after_midnight, self.report(self.school_b1)))

    def test_catch_up_missed_day(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "danvan_chinh_quyen.catchup_days", "7"
        )
        # the job did not run on 11/05 nor 12/05
        mails = self.run_job("2025-05-13 03:00:00")
        self.assertEqual(
            len(mails.filtered(lambda m: m.subject.startswith("Overdue"))), 5
        )
        self.assertEqual(len(self.mails_about(mails, self.period_mid)), 1)

    def test_no_catch_up_after_window(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "danvan_chinh_quyen.catchup_days", "3"
        )
        self.assertFalse(self.run_job("2025-05-14 03:00:00"))

    def test_digest_extra_recipients(self):
        partner = self.env["res.partner"].create(
            {"name": "Ban Dân vận", "email": "bandanvan@test.example.com"}
        )
        icp = self.env["ir.config_parameter"].sudo()
        icp.set_param("danvan_chinh_quyen.digest_partner_ids", str(partner.id))
        icp.set_param("danvan_chinh_quyen.digest_emails", "lanhdao@test.example.com")
        mails = self.run_job("2025-05-11 03:00:00")
        digest = self.mails_about(mails, self.period_mid)
        self.assertMailTo(
            digest,
            [self.office_head.partner_id, self.officer.partner_id, partner],
            "lanhdao@test.example.com",
        )

    def test_failing_address_does_not_stop_others(self):
        """A unit without address is skipped; a refused address fails alone."""
        self.school_b2.email = "no-address-here"
        mails = self.run_job("2025-05-03 03:00:00")
        self.assertEqual(len(mails), 5)
        with self.mock_mail_gateway(), mute_logger("odoo.addons.mail.models.mail_mail"):
            mails.send(raise_exception=False)
        b2 = self.mails_about(mails, self.report(self.school_b2))
        self.assertEqual(b2.state, "exception")
        self.assertEqual(set((mails - b2).mapped("state")), {"sent"})
        log = self.env["danvan.reminder.log"].search(
            [("unit_id", "=", self.pgd2.id), ("kind", "=", "before_7")]
        )
        self.assertEqual(log.state, "no_recipient")


@tagged("post_install", "-at_install", "danvan_deadline")
class TestDeadlineRegistrationsTasks(DeadlineCase):
    def _register(self, unit, user, when, name="Mô hình thử"):
        field = self.env["danvan.model.field"].search([], limit=1)
        with freeze_time(when):
            reg = (
                self.env["danvan.model.registration"]
                .with_user(user)
                .create(
                    {
                        "name": name,
                        "plan_id": self.plan.id,
                        "unit_id": unit.id,
                        "member_name": "Tổ công đoàn",
                        "field_id": field.id,
                    }
                )
            )
            reg.action_register()
        return reg

    def test_registration_reminders(self):
        self._register(self.school_a1, self.staff_a, "2025-03-01 03:00:00")
        sent, everything = {}, {}
        for day in range(7, 17):
            everything[day] = self.run_job(f"2025-03-{day:02d} 03:00:00")
            sent[day] = everything[day].filtered(lambda m: m.model == "danvan.unit")
        self.assertEqual([d for d, m in everything.items() if m], [8, 14, 16])
        # registered units get nothing; PGD Hai has no address
        self.assertEqual(
            sorted(sent[8].mapped("res_id")),
            sorted(
                u.id
                for u in (self.pgd1, self.school_a2, self.school_b1, self.school_b2)
            ),
        )
        reminder = sent[8].filtered(lambda m: m.res_id == self.school_b1.id)
        self.assertMailTo(reminder, [self.staff_b.partner_id])
        self.assertEqual(
            reminder.subject,
            "Reminder: register your 'Dân vận khéo' models by ngày 15 tháng 3 năm 2025",
        )
        self.assertIn(self.plan.display_name, reminder.body_html)
        self.assertIn(
            f"{self.base_url}/odoo/action-danvan_chinh_quyen."
            "danvan_model_registration_action",
            reminder.body_html,
        )
        # the day after: heads (or addresses) of units that registered nothing
        overdue = sent[16]
        self.assertEqual(len(overdue), 4)
        self.assertMailTo(
            overdue.filtered(lambda m: m.res_id == self.pgd1.id),
            [self.head1.partner_id],
        )
        digest = self.mails_about(everything[16], self.plan)
        self.assertEqual(len(digest), 1)
        self.assertMailTo(
            digest, [self.office_head.partner_id, self.officer.partner_id]
        )
        self.assertIn("Trường B1", digest.body_html)
        self.assertNotIn("Trường A1", digest.body_html)
        self.assertIn(
            f"{self.base_url}/odoo/danvan.unit/{self.school_b1.id}", digest.body_html
        )

    def test_registration_late_in_digest(self):
        for unit, user in ((self.school_a1, self.staff_a), (self.pgd1, self.head1)):
            self._register(
                unit, user, "2025-03-10 03:00:00", name=f"Mô hình {unit.code}"
            )
        late = self._register(self.school_b1, self.staff_b, "2025-03-15 17:10:00")
        self.assertTrue(late.is_late)
        mails = self.run_job("2025-03-16 03:00:00")
        digest = self.mails_about(mails, self.plan)
        self.assertIn("Registered late", digest.body_html)
        self.assertIn(f"/odoo/danvan.model.registration/{late.id}", digest.body_html)
        self.assertIn("4 unit(s) registered late or not at all", digest.body_html)

    def test_task_reminders(self):
        sent = {}
        for day in (22, 23, 24, 28, 29, 30):
            sent[day] = self.run_job(f"2025-06-{day:02d} 03:00:00")
        sent[31] = self.run_job("2025-07-01 03:00:00")
        sent[32] = self.run_job("2025-07-02 03:00:00")
        self.assertEqual([d for d, m in sent.items() if m], [23, 29, 31])
        reminder = sent[23]
        self.assertEqual(
            (reminder.model, reminder.res_id), ("danvan.plan.task", self.task.id)
        )
        self.assertMailTo(reminder, [self.head1.partner_id])
        self.assertEqual(
            reminder.subject,
            "Reminder: task area II.1 Công tác chỉ đạo due ngày 30 tháng 6 năm 2025",
        )
        self.assertIn(
            f"{self.base_url}/odoo/danvan.plan/{self.plan.id}", reminder.body_html
        )
        self.assertTrue(sent[31].subject.startswith("Deadline passed: task area II.1"))

    def test_task_reminders_disabled(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "danvan_chinh_quyen.notify_task_leads", "0"
        )
        self.assertFalse(self.run_job("2025-06-23 03:00:00"))


@tagged("post_install", "-at_install", "danvan_deadline")
class TestDeadlineActivities(DeadlineCase):
    def activities(self, activity_type, records):
        return self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", self.env.ref(activity_type).id),
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
            ]
        )

    def test_activities_created_once_and_closed(self):
        report_type = "danvan_chinh_quyen.mail_activity_type_report"
        reg_type = "danvan_chinh_quyen.mail_activity_type_registration"
        reports = self.plan.report_ids
        # created when the plan was issued: reports of units with somebody
        staffed = self.pgd1 | self.school_a1 | self.school_b1
        self.assertEqual(len(self.activities(report_type, reports)), 2 * len(staffed))
        registration = self.activities(reg_type, self.participants)
        self.assertEqual(len(registration), 3)
        self.assertEqual(registration.mapped("danvan_plan_id"), self.plan)
        self.assertEqual(set(registration.mapped("date_deadline")), {date(2025, 3, 15)})
        self.assertEqual(
            registration.filtered(lambda a: a.res_id == self.school_a1.id).user_id,
            self.staff_a,
        )
        self.assertIn(self.plan.display_name, registration[0].summary)
        # the job repairs what is missing, and only that
        self.activities(report_type, self.report(self.school_a1)).unlink()
        registration.filtered(lambda a: a.res_id == self.school_b1.id).unlink()
        self.run_job("2025-02-01 03:00:00")
        self.run_job("2025-02-02 03:00:00")
        self.assertEqual(len(self.activities(report_type, reports)), 6)
        self.assertEqual(len(self.activities(reg_type, self.participants)), 3)
        # submitting / registering closes them, and they stay closed
        self.submit(self.report(self.school_a1), self.staff_a, "2025-02-03 03:00:00")
        self.assertFalse(self.activities(report_type, self.report(self.school_a1)))
        field = self.env["danvan.model.field"].search([], limit=1)
        with freeze_time("2025-02-03 03:00:00"):
            reg = (
                self.env["danvan.model.registration"]
                .with_user(self.staff_a)
                .create(
                    {
                        "name": "Mô hình A1",
                        "plan_id": self.plan.id,
                        "member_name": "Chi đoàn",
                        "field_id": field.id,
                    }
                )
            )
            reg.action_register()
        self.assertFalse(self.activities(reg_type, self.school_a1))
        self.assertEqual(len(self.activities(reg_type, self.participants)), 2)
        self.run_job("2025-02-04 03:00:00")
        self.assertFalse(self.activities(report_type, self.report(self.school_a1)))
        self.assertFalse(self.activities(reg_type, self.school_a1))
        self.assertEqual(len(self.activities(report_type, reports)), 5)
        # after the registration deadline no new registration to-do
        registration = self.activities(reg_type, self.participants)
        registration.unlink()
        self.run_job("2025-03-16 03:00:00")
        self.assertFalse(self.activities(reg_type, self.participants))

    def test_cancel_removes_registration_activities(self):
        self.plan.with_user(self.manager).action_cancel()
        self.assertFalse(
            self.activities(
                "danvan_chinh_quyen.mail_activity_type_registration", self.participants
            )
        )


@tagged("post_install", "-at_install", "danvan_deadline")
class TestDeadlineJobMechanics(DeadlineCase):
    def test_batches_resume(self):
        """Small batches: progress is reported, and the sum is one run."""
        cron = self.env.ref("danvan_chinh_quyen.ir_cron_danvan_deadlines")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "done": 0, "remaining": 0}
        )
        Plan = self.env["danvan.plan"].with_context(ir_cron_progress_id=progress.id)
        steps = []
        with (
            freeze_time("2025-05-11 03:00:00"),
            self.mock_mail_gateway(),
            patch.object(danvan_plan_deadline, "BATCH_SIZE", 2),
        ):
            for _attempt in range(10):
                Plan._cron_deadline_reminders()
                steps.append((progress.done, progress.remaining))
                if not progress.remaining:
                    break
        # 6 overdue reports (PGD Hai without address) + 1 digest = 7 items
        self.assertEqual(steps, [(2, 5), (2, 3), (2, 1), (1, 0)])
        self.assertEqual(len(self._new_mails), 6)

    def test_run_for_date(self):
        with self.assertRaises(AccessError):
            self.env["danvan.plan"].with_user(
                self.officer
            ).run_deadline_reminders_for_date("2025-05-03")
        with self.mock_mail_gateway():
            result = (
                self.env["danvan.plan"]
                .with_user(self.manager)
                .run_deadline_reminders_for_date("2025-05-03")
            )
        self.assertEqual(result, {"date": "2025-05-03", "done": 6, "remaining": 0})
        self.assertEqual(len(self._new_mails), 5)

    def test_log_access(self):
        self.run_job("2025-05-03 03:00:00")
        Log = self.env["danvan.reminder.log"]
        self.assertTrue(Log.with_user(self.officer).search_count([]))
        with self.assertRaises(AccessError):
            Log.with_user(self.staff_a).search([])
        with self.assertRaises(AccessError):
            Log.with_user(self.manager).search([], limit=1).write({"kind": "x"})

    def test_settings(self):
        Settings = self.env["res.config.settings"]
        settings = Settings.create(
            {"danvan_reminder_offsets": "3, 10,3", "danvan_notify_who": "staff"}
        )
        settings.execute()
        icp = self.env["ir.config_parameter"].sudo()
        self.assertEqual(icp.get_param("danvan_chinh_quyen.reminder_offsets"), "10,3")
        self.assertEqual(icp.get_param("danvan_chinh_quyen.notify_who"), "staff")
        for bad in ("7,a", "0", "-1", "7.5"):
            with self.assertRaises(ValidationError):
                Settings.create({"danvan_reminder_offsets": bad})
        partner = self.env["res.partner"].create(
            {"name": "X", "email": "x@example.com"}
        )
        settings = Settings.create(
            {
                "danvan_digest_partner_ids": [Command.set(partner.ids)],
                "danvan_notify_task_leads": False,
            }
        )
        settings.execute()
        self.assertEqual(
            icp.get_param("danvan_chinh_quyen.digest_partner_ids"), str(partner.id)
        )
        self.assertEqual(icp.get_param("danvan_chinh_quyen.notify_task_leads"), "0")
        values = Settings.default_get(
            ["danvan_digest_partner_ids", "danvan_notify_task_leads"]
        )
        self.assertFalse(values["danvan_notify_task_leads"])
        self.assertEqual(
            Settings.new(values).danvan_digest_partner_ids._origin, partner
        )

    def test_vietnamese_mail_for_vietnamese_head(self):
        """Templates render in the recipient's language (here a translated
        subject set on the fly; the real one comes from i18n/vi.po)."""
        self.env["res.lang"]._activate_lang("vi_VN")
        template = self.env.ref("danvan_chinh_quyen.mail_template_unit_report_reminder")
        template.with_context(lang="vi_VN").subject = (
            "Nhắc hạn: báo cáo {{ object.period_id.name }} của "
            "{{ object.unit_id.name }} hạn nộp "
            "{{ object._danvan_date_long(object.date_deadline) }}"
        )
        self.head1.partner_id.lang = "vi_VN"
        mails = self.run_job("2025-05-03 03:00:00")
        self.assertEqual(
            self.mails_about(mails, self.report(self.pgd1)).subject,
            "Nhắc hạn: báo cáo 6 tháng đầu năm của Phòng GD&ĐT Một "
            "hạn nộp ngày 10 tháng 5 năm 2025",
        )
        self.assertTrue(
            self.mails_about(mails, self.report(self.school_a1)).subject.startswith(
                "Reminder:"
            )
        )

    def test_workflow_templates_render(self):
        report = self.report(self.school_a1)
        self.submit(report, self.staff_a, "2025-05-10 16:30:00")
        report.with_user(self.officer).review_note = "Bổ sung minh chứng"
        with freeze_time("2025-05-11 03:00:00"):
            report.with_user(self.officer).action_return()
        for name in ("submitted", "returned", "accepted"):
            template = self.env.ref(
                f"danvan_chinh_quyen.mail_template_unit_report_{name}"
            )
            values = template._generate_template(report.ids, ("subject", "body_html"))[
                report.id
            ]
            self.assertIn("6 tháng đầu năm", values["subject"])
            self.assertIn(f"/odoo/danvan.unit.report/{report.id}", values["body_html"])
        returned = self.env.ref("danvan_chinh_quyen.mail_template_unit_report_returned")
        body = returned._generate_template(report.ids, ("body_html",))[report.id][
            "body_html"
        ]
        self.assertIn("Bổ sung minh chứng", body)
        self.assertIn("ngày 10 tháng 5 năm 2025", body)
        submitted = self.env.ref(
            "danvan_chinh_quyen.mail_template_unit_report_submitted"
        )
        body = submitted._generate_template(report.ids, ("body_html",))[report.id][
            "body_html"
        ]
        self.assertIn("on ngày 10 tháng 5 năm 2025", body)


@tagged("post_install", "-at_install", "danvan_deadline")
class TestDeadlineQueryCount(DeadlineCase):
    """The job's queries do not grow with the number of units (only the
    INSERTs do, Odoo writing at most 100 rows per statement)."""

    def _make_world(self, size, tag):
        Unit = self.env["danvan.unit"]
        parent = Unit.create(
            {"name": f"Sở {tag}", "code": f"Q{tag}-SO", "parent_id": False}
        )
        office = Unit.create(
            {
                "name": f"VP {tag}",
                "code": f"Q{tag}-VP",
                "parent_id": parent.id,
                "email": f"vp{tag}@q.example.com",
            }
        )
        units = Unit.create(
            [
                {
                    "name": f"Trường {tag}-{i}",
                    "code": f"Q{tag}-{i}",
                    "parent_id": parent.id,
                    "email": f"t{tag}-{i}@q.example.com",
                }
                for i in range(size)
            ]
        )
        users = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": f"Head {tag}-{i}",
                        "login": f"q{tag}_{i}",
                        "email": f"q{tag}_{i}@q.example.com",
                        "danvan_unit_id": unit.id,
                        "groups_id": [Command.link(self.env.ref(GROUP_USER).id)],
                    }
                    for i, unit in enumerate(units)
                ]
            )
        )
        for unit, user in zip(units, users, strict=True):
            unit.head_user_id = user
        with freeze_time("2025-01-10 03:00:00"):
            plan = self._issue(
                self._make_plan(
                    units=units,
                    issuing_unit_id=parent.id,
                    monitoring_unit_id=office.id,
                    name=f"Kế hoạch {tag}",
                )
            )
        return plan

    def _queries(self, when):
        with freeze_time(when), self.mock_mail_gateway(), count_queries() as queries:
            self.env["danvan.plan"].run_deadline_reminders_for_date(when[:10])
            self.env.flush_all()
        return queries, self._new_mails

    def _profile(self, size, tag):
        plan = self._make_world(size, tag)
        self.env.invalidate_all()
        result = {}
        for label, when in (
            ("reminder", "2025-05-03 03:00:00"),
            ("overdue", "2025-05-11 03:00:00"),
            ("registration", "2025-03-08 03:00:00"),
            ("nothing", "2025-05-04 03:00:00"),
        ):
            queries, mails = self._queries(when)
            mails = mails.filtered(
                lambda m, p=plan: p.name in (m.subject + m.body_html)
            )
            others = [q for q in queries if not INSERT_RE.match(q)]
            result[label] = (len(others), len(queries) - len(others), len(mails))
            self.env.invalidate_all()
        return result

    def _cancel(self, name):
        self.env["danvan.plan"].search([("name", "=", name)]).with_user(
            self.manager
        ).action_cancel()

    def test_query_count_independent_of_units(self):
        # the test plan of the class is there too: move it out of the way
        self.plan.with_user(self.manager).action_cancel()
        # warm the caches (templates, xml ids, qweb) with a first world
        self._profile(3, "W")
        self._cancel("Kế hoạch W")
        small = self._profile(10, "S")
        self._cancel("Kế hoạch S")
        large = self._profile(60, "L")
        for label in small:
            with self.subTest(label):
                self.assertEqual(
                    small[label][0],
                    large[label][0],
                    f"{label}: queries other than INSERT, 10 units vs 60 units "
                    f"({small} / {large})",
                )
        self.assertEqual(small["reminder"][2], 10)
        self.assertEqual(large["reminder"][2], 60)
        self.assertEqual(large["overdue"][2], 61)
        self.assertEqual(large["registration"][2], 60)
        _logger.info(
            "Deadline job queries (other, INSERT, mails): 10 units %s; 60 units %s",
            small,
            large,
        )
