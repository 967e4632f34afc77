/** @odoo-module **/
/**
 * Journeys (b) and (c): a school's staff fills and submits its report with a
 * result, a target figure and an evidence file; the Department's officer
 * returns it with a note; the staff fixes and resubmits it; the officer
 * accepts it.
 */

import { registry } from "@web/core/registry";
import {
    checkState,
    checkVietnamese,
    clickHeaderButton,
    openMenu,
    openPage,
    saveForm,
    uploadFile,
} from "./danvan_tour_utils";

export const REPORT_UNIT = "Trường A1";
const REVIEW_NOTE = "Đề nghị bổ sung số liệu tỷ lệ cán bộ, giáo viên được quán triệt.";

/** Open the unit's report from "My Unit's Reports". */
function openMyReport() {
    return [
        ...openMenu("danvan_unit_report_menu_main", "danvan_unit_report_menu_my"),
        {
            content: "Open the unit's report",
            trigger: `.o_list_view .o_data_row td[name='unit_id']:contains('${REPORT_UNIT}')`,
            run: "click",
        },
    ];
}

/** Open the report from the list of all unit reports (officers). */
function openReportAsOfficer() {
    return [
        ...openMenu("danvan_unit_report_menu_main", "danvan_unit_report_menu"),
        {
            content: "Open the school's report",
            trigger: `.o_list_view .o_data_row td[name='unit_id']:contains('${REPORT_UNIT}')`,
            run: "click",
        },
        {
            content: "The report form is open",
            trigger: `.o_form_view div[name='unit_id']:contains('${REPORT_UNIT}')`,
        },
    ];
}

registry.category("web_tour.tours").add("danvan_report_submit_tour", {
    url: "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
    steps: () => [
        checkVietnamese(),
        {
            content: "The dashboard lists the report to submit; open it",
            trigger: ".o_danvan_my_reports li.list-group-item-action",
            run: "click",
        },
        {
            content: "The report form is open",
            trigger: `.o_form_view div[name='unit_id']:contains('${REPORT_UNIT}')`,
        },
        checkState("draft"),
        // results by task area
        {
            content: "Edit the result of the first task area",
            trigger: ".o_form_view div[name='line_ids'] .o_data_row:first td[name='result']",
            run: "click",
        },
        {
            content: "Result",
            trigger: ".o_form_view div[name='line_ids'] .o_selected_row div[name='result'] textarea",
            run: "edit Đã tổ chức 2 hội nghị quán triệt kế hoạch cho toàn thể cán bộ, giáo viên.",
        },
        // target figures
        openPage("values"),
        {
            content: "Edit the figure of the first target",
            trigger: ".o_form_view div[name='value_ids'] .o_data_row:first td[name='value']",
            run: "click",
        },
        {
            content: "Figure",
            trigger: ".o_form_view div[name='value_ids'] .o_selected_row div[name='value'] input",
            run: "edit 85",
        },
        // evidence
        openPage("evidence"),
        ...uploadFile("attachment_ids", "bien-ban-hoi-nghi.txt", "Biên bản hội nghị quán triệt"),
        ...saveForm(),
        clickHeaderButton("action_submit"),
        checkState("submitted"),
    ],
});

registry.category("web_tour.tours").add("danvan_report_return_tour", {
    url: "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
    steps: () => [
        checkVietnamese(),
        {
            content: "The officer's dashboard counts the reports to review; open them",
            trigger: ".o_danvan_dashboard .o_danvan_periods .card-header button:first",
            run: "click",
        },
        {
            content: "Open the school's report",
            trigger: `.o_list_view .o_data_row td[name='unit_id']:contains('${REPORT_UNIT}')`,
            run: "click",
        },
        checkState("submitted"),
        openPage("review"),
        {
            content: "Write what the school must fix",
            trigger: ".o_form_view div[name='review_note'] textarea",
            run: `edit ${REVIEW_NOTE}`,
        },
        ...saveForm(),
        clickHeaderButton("action_return"),
        checkState("returned"),
    ],
});

registry.category("web_tour.tours").add("danvan_report_resubmit_tour", {
    url: "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
    steps: () => [
        checkVietnamese(),
        ...openMyReport(),
        checkState("returned"),
        {
            content: "The Department's note is shown",
            trigger: `.o_form_view .alert-warning div[name='review_note']:contains('${REVIEW_NOTE}')`,
        },
        openPage("values"),
        {
            content: "Edit the figure of the first target",
            trigger: ".o_form_view div[name='value_ids'] .o_data_row:first td[name='value']",
            run: "click",
        },
        {
            content: "Corrected figure",
            trigger: ".o_form_view div[name='value_ids'] .o_selected_row div[name='value'] input",
            run: "edit 97",
        },
        {
            content: "Note on the figure",
            trigger: ".o_form_view div[name='value_ids'] .o_selected_row div[name='note'] input",
            run: "edit 97/100 cán bộ, giáo viên",
        },
        ...saveForm(),
        clickHeaderButton("action_submit"),
        checkState("submitted"),
    ],
});

registry.category("web_tour.tours").add("danvan_report_accept_tour", {
    url: "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
    steps: () => [
        checkVietnamese(),
        ...openReportAsOfficer(),
        checkState("submitted"),
        clickHeaderButton("action_accept"),
        checkState("accepted"),
    ],
});
