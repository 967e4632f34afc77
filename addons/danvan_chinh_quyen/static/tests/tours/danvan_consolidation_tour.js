/** @odoo-module **/
/**
 * Journey (e): the Department's officer opens the dashboard (late and
 * missing units of the current periods), then the consolidated view of a
 * reporting period.
 */

import { registry } from "@web/core/registry";
import { checkVietnamese, openMenu } from "./danvan_tour_utils";

export const PERIOD_NAME = "Báo cáo kiểm thử 6 tháng";
const SCHOOL = "Trường A1";
const RESULT = "Đã tổ chức hội nghị quán triệt";

registry.category("web_tour.tours").add("danvan_consolidation_tour", {
    url: "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
    steps: () => [
        checkVietnamese(),
        {
            content: "The officer's dashboard shows the current reporting periods",
            trigger: ".o_danvan_dashboard .o_danvan_periods .card-body",
        },
        ...openMenu("danvan_plan_menu_main", "danvan_report_period_menu"),
        {
            content: "Open the consolidated view of the period",
            trigger: `.o_list_view .o_data_row:has(td[name='name']:contains('${PERIOD_NAME}')) button[name='action_open_consolidation']`,
            run: "click",
        },
        {
            content: "The period's form is open",
            trigger: `.o_form_view div[name='name']:contains('${PERIOD_NAME}')`,
        },
        {
            content: "The follow-up matrix lists the school",
            trigger: `.o_danvan_consolidation table.o_danvan_matrix td:contains('${SCHOOL}')`,
        },
        {
            content: "The targets are consolidated",
            trigger: ".o_danvan_consolidation table.o_danvan_targets tbody tr",
        },
        {
            content: "The results of the school are quoted",
            trigger: `.o_danvan_consolidation td:contains('${RESULT}')`,
        },
    ],
});
