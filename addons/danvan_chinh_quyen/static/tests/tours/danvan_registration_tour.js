/** @odoo-module **/
/**
 * Journey (d): a school's staff registers a "Dân vận khéo" model from the
 * dashboard, before the plan's registration deadline.
 */

import { registry } from "@web/core/registry";
import { checkState, checkVietnamese, clickHeaderButton, saveForm } from "./danvan_tour_utils";

export const MODEL_NAME = "Nhà trường gắn kết với cha mẹ học sinh vùng cao";

registry.category("web_tour.tours").add("danvan_registration_tour", {
    url: "/odoo/action-danvan_chinh_quyen.danvan_dashboard_action",
    steps: () => [
        checkVietnamese(),
        {
            content: "Registrations are open: register a model",
            trigger: ".o_danvan_my_registrations li:contains('Kế hoạch kiểm thử giao diện') button",
            run: "click",
        },
        {
            content: "Name of the model",
            trigger: ".o_form_view div[name='name'] input",
            run: `edit ${MODEL_NAME}`,
        },
        {
            content: "The plan comes from the dashboard",
            trigger: ".o_form_view div[name='plan_id'] input:value(Kế hoạch kiểm thử giao diện)",
        },
        {
            content: "Open the list of fields",
            trigger: ".o_form_view div[name='field_id'] input",
            run: "click",
        },
        {
            content: "Pick a field",
            trigger: ".o_form_view div[name='field_id'] .o-autocomplete--dropdown-item:not(.o_m2o_dropdown_option) a:not(.o_loading)",
            run: "click",
        },
        {
            content: "A collective model",
            trigger: ".o_form_view div[name='kind'] input[data-value='collective']",
            run: "click",
        },
        {
            content: "The collective that builds it",
            trigger: ".o_form_view div[name='member_name'] input",
            run: "edit Tập thể cán bộ, giáo viên Trường A1",
        },
        {
            content: "Content",
            trigger: ".o_form_view div[name='content'] .odoo-editor-editable div.o-paragraph",
            run: "editor Tổ chức gặp mặt cha mẹ học sinh tại thôn bản mỗi tháng một lần.",
        },
        ...saveForm(),
        clickHeaderButton("action_register"),
        checkState("registered"),
    ],
});
