/** @odoo-module **/
/**
 * Journey (a): a manager writes the year's plan (title, year, a task area
 * with a target, a reporting period), submits it and issues it.
 */

import { registry } from "@web/core/registry";
import {
    checkState,
    checkVietnamese,
    clickHeaderButton,
    currentYear,
    openMenu,
    openPage,
    saveForm,
    vnDate,
} from "./danvan_tour_utils";

export const PLAN_TITLE = "Kế hoạch kiểm thử công tác dân vận chính quyền";

registry.category("web_tour.tours").add("danvan_plan_issue_tour", {
    url: "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
    steps: () => {
        const year = currentYear();
        return [
            checkVietnamese(),
            {
                content: "The manager's dashboard shows the plans by state",
                trigger: ".o_danvan_dashboard .o_danvan_plans",
            },
            ...openMenu("danvan_plan_menu_main", "danvan_plan_menu"),
            {
                content: "New plan",
                trigger: ".o_control_panel .o_list_button_add",
                run: "click",
            },
            {
                content: "Title",
                trigger: ".o_form_view div[name='name'] input",
                run: `edit ${PLAN_TITLE} năm ${year}`,
            },
            {
                content: "Year",
                trigger: ".o_form_view div[name='year'] input",
                run: `edit ${year}`,
            },
            {
                content: "Issue date",
                trigger: ".o_form_view div[name='date_issued'] input",
                run: `edit ${vnDate(year, 1, 2)}`,
            },
            {
                content: "Place",
                trigger: ".o_form_view div[name='place'] input",
                run: "edit Hòa Bình",
            },
            // a task area with a target
            openPage("tasks"),
            {
                content: "Add a task area",
                trigger: ".o_form_view div[name='task_ids'] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                content: "Task code",
                trigger: ".modal div[name='code'] input",
                run: "edit II.1",
            },
            {
                content: "Task title",
                trigger: ".modal div[name='name'] input",
                run: "edit Đẩy mạnh công tác tuyên truyền, vận động",
            },
            {
                content: "Add a target",
                trigger: ".modal div[name='target_ids'] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                content: "Target",
                trigger: ".modal div[name='target_ids'] .o_selected_row div[name='name'] input",
                run: "edit Tỷ lệ cán bộ, giáo viên được quán triệt kế hoạch",
            },
            {
                content: "The target is a percentage",
                trigger: ".modal div[name='target_ids'] .o_selected_row div[name='measure'] select",
                run: 'select "percent"',
            },
            {
                content: "Target value",
                trigger: ".modal div[name='target_ids'] .o_selected_row div[name='target_value'] input",
                run: "edit 95",
            },
            {
                content: "Save the task area",
                trigger: ".modal .o_form_button_save",
                run: "click",
            },
            {
                content: "The task area is listed",
                trigger: ".o_form_view div[name='task_ids'] .o_data_row td[name='code']:contains('II.1')",
            },
            // a reporting period
            openPage("periods"),
            {
                content: "Add a reporting period",
                trigger: ".o_form_view div[name='period_ids'] .o_field_x2many_list_row_add a",
                run: "click",
            },
            {
                content: "Period name",
                trigger: ".o_form_view div[name='period_ids'] .o_selected_row div[name='name'] input",
                run: "edit Báo cáo 6 tháng đầu năm",
            },
            {
                content: "Data from",
                trigger: ".o_form_view div[name='period_ids'] .o_selected_row div[name='date_from'] input",
                run: `edit ${vnDate(year, 1, 1)}`,
            },
            {
                content: "Data until",
                trigger: ".o_form_view div[name='period_ids'] .o_selected_row div[name='date_to'] input",
                run: `edit ${vnDate(year, 6, 15)}`,
            },
            {
                content: "Deadline",
                trigger: ".o_form_view div[name='period_ids'] .o_selected_row div[name='date_deadline'] input",
                run: `edit ${vnDate(year, 12, 31)}`,
            },
            ...saveForm(),
            checkState("draft"),
            // submit, then issue (the manager is also an officer)
            clickHeaderButton("action_submit"),
            checkState("to_approve"),
            clickHeaderButton("action_issue"),
            {
                content: "Confirm the issue",
                trigger: ".modal-footer .btn-primary",
                run: "click",
            },
            checkState("issued"),
            {
                content: "The plan has its number",
                trigger: ".o_form_view div[name='number'] span:not(:empty)",
            },
            {
                content: "The unit reports were created",
                trigger: "button.oe_stat_button[name='action_view_reports']",
            },
        ];
    },
});
