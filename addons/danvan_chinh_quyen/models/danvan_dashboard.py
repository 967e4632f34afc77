from odoo import api, models

from ..tools.vn_date import format_date_short, today_vn

OPEN_REPORT_STATES = ("draft", "returned")


class DanvanDashboard(models.AbstractModel):
    """What each role needs first when it opens the app.

    Everything is read with the user's own rights, so the record rules
    decide what a unit sees; the queries are a handful of batched reads
    whatever the number of units.
    """

    _name = "danvan.dashboard"
    _description = "Dân vận Dashboard"

    @api.model
    def get_dashboard_data(self):
        user = self.env.user
        data = {
            "today": format_date_short(today_vn(self.env)),
            "unit": user.danvan_unit_id.display_name or "",
            "is_officer": user.has_group("danvan_chinh_quyen.group_danvan_officer"),
            "is_manager": user.has_group("danvan_chinh_quyen.group_danvan_manager"),
            "my_reports": self._get_my_reports(),
            "my_registrations": self._get_my_registrations(),
            "registration_windows": self._get_registration_windows(),
        }
        if data["is_officer"]:
            data["periods"] = self._get_current_periods()
            data["to_review"] = {
                "reports": self.env["danvan.unit.report"].search_count(
                    [("state", "=", "submitted")]
                ),
                "registrations": self.env["danvan.model.registration"].search_count(
                    [("state", "=", "registered")]
                ),
            }
        if data["is_manager"]:
            data["plans"] = self._get_plans_by_state()
        return data

    def _my_unit_domain(self):
        user = self.env.user
        if not user.danvan_unit_id and not user.danvan_head_unit_ids:
            return [("id", "=", False)]
        return self.env["danvan.unit.report"]._danvan_unit_rule_domain()

    def _get_my_reports(self):
        Report = self.env["danvan.unit.report"]
        reports = Report.search(
            self._my_unit_domain()
            + [("state", "in", OPEN_REPORT_STATES), ("plan_id.state", "=", "issued")],
            order="date_deadline, id",
            limit=20,
        )
        labels = dict(Report._fields["status_label"]._description_selection(self.env))
        states = dict(Report._fields["state"]._description_selection(self.env))
        return [
            {
                "id": r.id,
                "name": r.display_name,
                "plan": r.plan_id.display_name,
                "deadline": format_date_short(r.date_deadline),
                "state": r.state,
                "state_label": states[r.state],
                "status": r.status_label,
                "status_label": labels[r.status_label],
            }
            for r in reports
        ]

    def _get_my_registrations(self):
        Registration = self.env["danvan.model.registration"]
        regs = Registration.search(
            self._my_unit_domain() + [("state", "in", ("draft", "returned"))],
            order="id desc",
            limit=20,
        )
        states = dict(Registration._fields["state"]._description_selection(self.env))
        return [
            {
                "id": r.id,
                "name": r.name,
                "unit": r.unit_id.name,
                "deadline": format_date_short(r.registration_deadline),
                "state": r.state,
                "state_label": states[r.state],
            }
            for r in regs
        ]

    def _get_registration_windows(self):
        """Issued plans still taking registrations, with my unit's count."""
        today = today_vn(self.env)
        plans = self.env["danvan.plan"].search(
            [("state", "=", "issued"), ("registration_deadline", ">=", today)]
        )
        counts = dict(
            self.env["danvan.model.registration"]._read_group(
                self._my_unit_domain() + [("plan_id", "in", plans.ids)],
                ["plan_id"],
                ["__count"],
            )
        )
        return [
            {
                "plan_id": p.id,
                "plan": p.display_name,
                "deadline": format_date_short(p.registration_deadline),
                "count": counts.get(p, 0),
            }
            for p in plans
        ]

    def _get_current_periods(self):
        """The latest period past its deadline and the next one, per plan,
        with the late and missing units."""
        today = today_vn(self.env)
        Period = self.env["danvan.report.period"]
        issued = [("plan_id.state", "=", "issued")]
        periods = Period.search(
            issued + [("date_deadline", "<", today)],
            order="date_deadline desc",
            limit=1,
        ) | Period.search(
            issued + [("date_deadline", ">=", today)], order="date_deadline", limit=1
        )
        Report = self.env["danvan.unit.report"]
        groups = Report._read_group(
            [("period_id", "in", periods.ids)],
            ["period_id", "state", "is_late"],
            ["__count"],
        )
        stats = {
            p.id: dict.fromkeys(("total", "submitted", "late", "missing"), 0)
            for p in periods
        }
        for period, state, is_late, count in groups:
            s = stats[period.id]
            s["total"] += count
            if state in ("submitted", "accepted"):
                s["submitted"] += count
                s["late"] += count if is_late else 0
            elif is_late:
                s["missing"] += count
        late = Report.search(
            [("period_id", "in", periods.ids), ("is_late", "=", True)],
            order="date_deadline, unit_id",
            limit=50,
        )
        states = dict(Report._fields["state"]._description_selection(self.env))
        result = []
        for period in periods.sorted("date_deadline"):
            rows = late.filtered(lambda r, p=period: r.period_id == p)
            result.append(
                {
                    "id": period.id,
                    "name": period.display_name,
                    "plan": period.plan_id.display_name,
                    "deadline": format_date_short(period.date_deadline),
                    "past": period.date_deadline < today,
                    **stats[period.id],
                    "late_reports": [
                        {
                            "id": r.id,
                            "unit": r.unit_id.name,
                            "state": r.state,
                            "state_label": states[r.state],
                            "missing": r.state in OPEN_REPORT_STATES,
                        }
                        for r in rows
                    ],
                }
            )
        return result

    def _get_plans_by_state(self):
        Plan = self.env["danvan.plan"]
        states = Plan._fields["state"]._description_selection(self.env)
        counts = dict(Plan._read_group([], ["state"], ["__count"]))
        to_approve = Plan.search([("state", "=", "to_approve")], limit=10)
        return {
            "states": [
                {"state": key, "label": label, "count": counts.get(key, 0)}
                for key, label in states
            ],
            "to_approve": [{"id": p.id, "name": p.display_name} for p in to_approve],
        }
