import io
from collections import defaultdict

import xlsxwriter

from odoo import fields, models
from odoo.exceptions import AccessError

from ..tools.vn_date import format_date_short, today_vn

# follow-up statuses of a unit report, in the order of the matrix columns
STATUSES = ("on_time", "late", "missing", "open", "returned", "accepted")
# reports whose figures and results count in the consolidation
REPORTING_STATES = ("submitted", "accepted")
OFFICER_GROUP = "danvan_chinh_quyen.group_danvan_officer"


class DanvanReportPeriod(models.Model):
    """Consolidation of the unit reports of a period, for the Department."""

    _inherit = "danvan.report.period"

    consolidation_html = fields.Html(
        string="Consolidation",
        compute="_compute_consolidation_html",
        sanitize=False,
        groups=OFFICER_GROUP,
    )

    def _compute_consolidation_html(self):
        for period in self:
            if not period.id:
                period.consolidation_html = False
                continue
            period.consolidation_html = self.env["ir.qweb"]._render(
                "danvan_chinh_quyen.danvan_report_period_consolidation",
                {
                    "period": period,
                    "data": period._get_consolidation_data(),
                    "fmt": period._danvan_format_figure,
                    "vn_date_short": format_date_short,
                },
            )

    # ------------------------------------------------------------------
    # Consolidation
    # ------------------------------------------------------------------

    def _danvan_status(self, state, is_late, today):
        """Follow-up status of a report (like ``status_label``), with the
        missing/not-due split computed from today's date, so a report whose
        stored 'late' flag was not refreshed yet is still counted missing."""
        if state in ("accepted", "returned"):
            return state
        if state == "submitted":
            return "late" if is_late else "on_time"
        return (
            "missing" if self.date_deadline and today > self.date_deadline else "open"
        )

    def _get_consolidation_data(self):
        """The period's consolidation as plain data (dicts, lists, numbers).

        A constant number of queries whatever the number of units: the
        reports, the result lines and the figures are each read at once.

        - ``statuses``: ``[(key, label)]`` in column order;
        - ``matrix``: one row per unit ``{unit_id, unit_name, unit_type,
          status, counts: {status: n}, total}``, ``totals`` per status and
          ``total``; ``by_type``: the same counts per unit type;
        - ``tasks``: per task area ``{task_id, code, name, lines: [{unit_id,
          unit_name, result, difficulty, proposal}]}``;
        - ``targets``: per target ``{target_id, name, task_code, measure,
          target_value, count, average, minimum, maximum, reached, share}``
          (``count`` is the number of reporting units, ``share`` the part of
          them that reached the target, from 0 to 1, None without reports).

        Only submitted and accepted reports bring results and figures.
        """
        self.ensure_one()
        today = today_vn(self.env)
        Report = self.env["danvan.unit.report"]
        status_labels = dict(
            Report._fields["status_label"]._description_selection(self.env)
        )
        statuses = [(key, status_labels.get(key, key)) for key in STATUSES]

        # 1. reports: one grouped query, units and their types read in batch
        groups = Report._read_group(
            [("period_id", "=", self.id)],
            ["unit_id", "state", "is_late"],
            ["__count"],
        )
        units = self.env["danvan.unit"].browse({unit.id for unit, *_rest in groups})
        unit_rows = {
            row["id"]: row
            for row in units.with_context(active_test=False).read(
                ["name", "complete_name", "type_id"]
            )
        }
        matrix = {}
        for unit, state, is_late, count in groups:
            info = unit_rows[unit.id]
            row = matrix.setdefault(
                unit.id,
                {
                    "unit_id": unit.id,
                    "unit_name": info["name"],
                    "complete_name": info["complete_name"] or info["name"],
                    "unit_type": info["type_id"][1] if info["type_id"] else "",
                    "counts": dict.fromkeys(STATUSES, 0),
                    "total": 0,
                    "status": False,
                },
            )
            status = self._danvan_status(state, is_late, today)
            row["counts"][status] += count
            row["total"] += count
            row["status"] = status
        rows = sorted(matrix.values(), key=lambda r: (r["complete_name"] or "").lower())
        totals = dict.fromkeys(STATUSES, 0)
        by_type = {}
        for row in rows:
            type_row = by_type.setdefault(
                row["unit_type"],
                {
                    "unit_type": row["unit_type"],
                    "counts": dict.fromkeys(STATUSES, 0),
                    "total": 0,
                },
            )
            for key in STATUSES:
                totals[key] += row["counts"][key]
                type_row["counts"][key] += row["counts"][key]
            type_row["total"] += row["total"]
        unit_names = {row["unit_id"]: row["unit_name"] for row in rows}

        # 2. results per task area: the lines of the reporting units at once
        tasks = self.plan_id.task_ids
        task_rows = {
            task.id: {
                "task_id": task.id,
                "code": task.code or "",
                "name": task.name,
                "lines": [],
            }
            for task in tasks
        }
        lines = self.env["danvan.unit.report.line"].search_fetch(
            [
                ("report_id.period_id", "=", self.id),
                ("report_id.state", "in", REPORTING_STATES),
            ],
            ["task_id", "unit_id", "result", "difficulty", "proposal"],
        )
        for line in lines:
            if not (line.result or line.difficulty or line.proposal):
                continue
            task_row = task_rows.get(line.task_id.id)
            if task_row is None:
                continue
            task_row["lines"].append(
                {
                    "unit_id": line.unit_id.id,
                    "unit_name": unit_names.get(line.unit_id.id, ""),
                    "result": line.result or "",
                    "difficulty": line.difficulty or "",
                    "proposal": line.proposal or "",
                }
            )
        unit_order = {row["unit_id"]: index for index, row in enumerate(rows)}
        for task_row in task_rows.values():
            task_row["lines"].sort(key=lambda ln: unit_order.get(ln["unit_id"], 0))

        # 3. figures per target: one grouped query on (target, value)
        value_groups = self.env["danvan.unit.report.value"]._read_group(
            [
                ("report_id.period_id", "=", self.id),
                ("report_id.state", "in", REPORTING_STATES),
            ],
            ["target_id", "value"],
            ["__count"],
        )
        figures = defaultdict(list)
        for target, value, count in value_groups:
            figures[target.id].append((value or 0.0, count))
        targets = []
        for target in tasks.target_ids:
            values = figures.get(target.id, [])
            count = sum(n for _v, n in values)
            reached = sum(n for v, n in values if target._is_reached(v))
            targets.append(
                {
                    "target_id": target.id,
                    "name": target.name,
                    "task_code": target.task_id.code or "",
                    "measure": target.measure,
                    "target_value": target.target_value,
                    "count": count,
                    "average": sum(v * n for v, n in values) / count if count else None,
                    "minimum": min((v for v, _n in values), default=None),
                    "maximum": max((v for v, _n in values), default=None),
                    "reached": reached,
                    "share": reached / count if count else None,
                }
            )
        return {
            "period_id": self.id,
            "today": today,
            "statuses": statuses,
            "matrix": rows,
            "totals": totals,
            "total": sum(totals.values()),
            "by_type": sorted(by_type.values(), key=lambda r: r["unit_type"].lower()),
            "reporting_count": totals["on_time"] + totals["late"] + totals["accepted"],
            "tasks": [task_rows[task.id] for task in tasks],
            "targets": targets,
        }

    def _danvan_format_figure(self, value, digits=2):
        """A number in the user's language, without useless decimals."""
        if value is None or value is False:
            return ""
        lang = self.env["res.lang"]._get_data(code=self.env.lang or "en_US")
        decimal_point = lang.decimal_point or "."
        thousands_sep = lang.thousands_sep or ""
        text = f"{value:,.{digits}f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return (
            text.replace(",", "\x00")
            .replace(".", decimal_point)
            .replace("\x00", thousands_sep)
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def _check_danvan_officer(self):
        if not (self.env.su or self.env.user.has_group(OFFICER_GROUP)):
            raise AccessError(
                self.env._(
                    "Only department officers see the consolidation: it lists "
                    "every unit."
                )
            )

    def action_open_consolidation(self):
        self.ensure_one()
        self._check_danvan_officer()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consolidation"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "danvan_chinh_quyen.danvan_report_period_view_form"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_download_xlsx(self):
        self.ensure_one()
        self._check_danvan_officer()
        return {
            "type": "ir.actions.act_url",
            "url": f"/danvan/period/{self.id}/consolidation.xlsx",
            "target": "self",
        }

    # ------------------------------------------------------------------
    # XLSX
    # ------------------------------------------------------------------

    def _get_consolidation_xlsx_filename(self):
        self.ensure_one()
        return f"{self.name} {self.plan_id.year}.xlsx".replace("/", "-")

    def _get_consolidation_xlsx(self):
        """The consolidation as an XLSX workbook (bytes).

        Sheets: 'Tổng hợp' (units × status), 'Chỉ tiêu' (targets), 'Kết quả'
        (results per task area). Every text coming from users is written
        with ``write_string``: a unit or a result starting with '=' stays
        text and never becomes a formula.
        """
        self.ensure_one()
        self._check_danvan_officer()
        data = self._get_consolidation_data()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        bold = workbook.add_format({"bold": True})
        head = workbook.add_format(
            {
                "bold": True,
                "bg_color": "#D9E1F2",
                "border": 1,
                "text_wrap": True,
                "valign": "top",
            }
        )
        cell = workbook.add_format({"border": 1, "valign": "top"})
        wrap = workbook.add_format({"border": 1, "valign": "top", "text_wrap": True})
        number = workbook.add_format(
            {"border": 1, "valign": "top", "num_format": "0.##"}
        )
        percent = workbook.add_format(
            {"border": 1, "valign": "top", "num_format": "0.0%"}
        )
        total_fmt = workbook.add_format({"bold": True, "border": 1})

        title = f"{self.plan_id.display_name} - {self.display_name}"

        # Sheet 1: units x status
        sheet = workbook.add_worksheet("Tổng hợp")
        sheet.write_string(0, 0, title, bold)
        sheet.write_string(
            1,
            0,
            self.env._(
                "Deadline: %(deadline)s - situation on %(today)s",
                deadline=format_date_short(self.date_deadline),
                today=format_date_short(data["today"]),
            ),
        )
        headers = [self.env._("No."), self.env._("Unit"), self.env._("Unit Type")] + [
            label for _key, label in data["statuses"]
        ]
        for col, header in enumerate(headers):
            sheet.write_string(3, col, header, head)
        row_index = 4
        for index, row in enumerate(data["matrix"], start=1):
            sheet.write_number(row_index, 0, index, cell)
            sheet.write_string(row_index, 1, row["unit_name"], cell)
            sheet.write_string(row_index, 2, row["unit_type"], cell)
            for col, (key, _label) in enumerate(data["statuses"], start=3):
                sheet.write_number(row_index, col, row["counts"][key], cell)
            row_index += 1
        sheet.write_string(row_index, 1, self.env._("Total"), total_fmt)
        sheet.write_blank(row_index, 0, None, total_fmt)
        sheet.write_blank(row_index, 2, None, total_fmt)
        for col, (key, _label) in enumerate(data["statuses"], start=3):
            sheet.write_number(row_index, col, data["totals"][key], total_fmt)
        sheet.set_column(0, 0, 6)
        sheet.set_column(1, 1, 45)
        sheet.set_column(2, 2, 25)
        sheet.set_column(3, 3 + len(STATUSES), 13)
        sheet.freeze_panes(4, 2)

        # Sheet 2: targets
        sheet = workbook.add_worksheet("Chỉ tiêu")
        sheet.write_string(0, 0, title, bold)
        headers = [
            self.env._("Task Area"),
            self.env._("Target"),
            self.env._("Measure"),
            self.env._("Target Value"),
            self.env._("Reporting Units"),
            self.env._("Average"),
            self.env._("Minimum"),
            self.env._("Maximum"),
            self.env._("Units Reaching the Target"),
            self.env._("Share Reaching the Target"),
        ]
        for col, header in enumerate(headers):
            sheet.write_string(2, col, header, head)
        measures = dict(
            self.env["danvan.plan.target"]
            ._fields["measure"]
            ._description_selection(self.env)
        )
        for row_index, target in enumerate(data["targets"], start=3):
            sheet.write_string(row_index, 0, target["task_code"], cell)
            sheet.write_string(row_index, 1, target["name"], wrap)
            sheet.write_string(row_index, 2, measures.get(target["measure"], ""), cell)
            sheet.write_number(row_index, 3, target["target_value"], number)
            sheet.write_number(row_index, 4, target["count"], cell)
            for col, key in ((5, "average"), (6, "minimum"), (7, "maximum")):
                if target[key] is None:
                    sheet.write_blank(row_index, col, None, cell)
                else:
                    sheet.write_number(row_index, col, target[key], number)
            sheet.write_number(row_index, 8, target["reached"], cell)
            if target["share"] is None:
                sheet.write_blank(row_index, 9, None, cell)
            else:
                sheet.write_number(row_index, 9, target["share"], percent)
        sheet.set_column(0, 0, 10)
        sheet.set_column(1, 1, 50)
        sheet.set_column(2, 9, 14)

        # Sheet 3: results per task area
        sheet = workbook.add_worksheet("Kết quả")
        sheet.write_string(0, 0, title, bold)
        headers = [
            self.env._("Task Area"),
            self.env._("Unit"),
            self.env._("Results Achieved"),
            self.env._("Difficulties"),
            self.env._("Proposals"),
        ]
        for col, header in enumerate(headers):
            sheet.write_string(2, col, header, head)
        row_index = 3
        for task in data["tasks"]:
            label = f"{task['code']} {task['name']}".strip()
            for line in task["lines"]:
                sheet.write_string(row_index, 0, label, wrap)
                sheet.write_string(row_index, 1, line["unit_name"], wrap)
                sheet.write_string(row_index, 2, line["result"], wrap)
                sheet.write_string(row_index, 3, line["difficulty"], wrap)
                sheet.write_string(row_index, 4, line["proposal"], wrap)
                row_index += 1
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 1, 30)
        sheet.set_column(2, 4, 50)
        sheet.freeze_panes(3, 0)

        workbook.close()
        return output.getvalue()
