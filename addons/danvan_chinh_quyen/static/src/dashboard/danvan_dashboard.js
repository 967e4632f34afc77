/** @odoo-module **/

import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";

/**
 * Landing page of the app: what each role needs first.
 * Staff: the unit's open reports and models with their deadlines.
 * Officers: late and missing units of the current periods, work to review.
 * Managers: plans by state and plans waiting for approval.
 */
export class DanvanDashboard extends Component {
    static template = "danvan_chinh_quyen.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null });
        onWillStart(async () => {
            this.state.data = await this.orm.call("danvan.dashboard", "get_dashboard_data", []);
        });
    }

    openRecord(model, id) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: model,
            res_id: id,
            views: [[false, "form"]],
        });
    }

    openList(model, name, domain, context = {}) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name,
            res_model: model,
            domain,
            context,
            views: [
                [false, "list"],
                [false, "form"],
            ],
        });
    }

    openReportsToReview() {
        this.openList("danvan.unit.report", _t("Reports to Review"), [["state", "=", "submitted"]]);
    }

    openRegistrationsToReview() {
        this.openList("danvan.model.registration", _t("Models to Review"), [
            ["state", "=", "registered"],
        ]);
    }

    openPeriodLate(period) {
        this.openList("danvan.unit.report", period.name, [
            ["period_id", "=", period.id],
            ["is_late", "=", true],
        ]);
    }

    openPlans(state) {
        this.openList("danvan.plan", _t("Plans"), [["state", "=", state]]);
    }

    newRegistration(window) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "danvan.model.registration",
            views: [[false, "form"]],
            context: { default_plan_id: window.plan_id },
        });
    }
}

registry.category("actions").add("danvan_dashboard", DanvanDashboard);
