/** @odoo-module **/
/**
 * Steps shared by the tours of danvan_chinh_quyen.
 *
 * Selectors rely on field, button and menu names, never on labels, so that
 * the tours run the same whatever the translation of the interface.
 */

import { user } from "@web/core/user";

const { DateTime } = luxon;

/** The year the tours write in (the browser's clock). */
export function currentYear() {
    return DateTime.now().year;
}

/** A date typed the Vietnamese way (dd/mm/yyyy). */
export function vnDate(year, month, day) {
    return DateTime.local(year, month, day).toFormat("dd/MM/yyyy");
}

/** The user works in Vietnamese: language and date format of the session. */
export function checkVietnamese() {
    return {
        content: "The web client runs in Vietnamese",
        trigger: ".o_web_client",
        run() {
            if (!user.lang.startsWith("vi")) {
                throw new Error(`The session language is ${user.lang}, not Vietnamese`);
            }
        },
    };
}

/** Open a menu of the app from the navigation bar ("section/item" xml ids). */
export function openMenu(section, item = null) {
    const steps = [
        {
            content: `Open the menu ${section}`,
            trigger: `.o_main_navbar [data-menu-xmlid='danvan_chinh_quyen.${section}']`,
            run: "click",
        },
    ];
    if (item) {
        steps.push({
            content: `Open the menu item ${item}`,
            trigger: `.dropdown-item[data-menu-xmlid='danvan_chinh_quyen.${item}']`,
            run: "click",
        });
    }
    return steps;
}

/** The form's status bar shows ``state``. */
export function checkState(state) {
    return {
        content: `The record is in state ${state}`,
        trigger: `.o_form_view .o_statusbar_status button.o_arrow_button_current[data-value='${state}']`,
    };
}

/** Save the form and wait until it is clean. */
export function saveForm() {
    return [
        {
            content: "Save",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "The form is saved",
            trigger: ".o_form_view .o_form_saved",
        },
    ];
}

/** Click a header button of the form (type object) by its method name. */
export function clickHeaderButton(method) {
    return {
        content: `Click ${method}`,
        trigger: `.o_form_view .o_form_statusbar button[name='${method}']`,
        run: "click",
    };
}

/** Open a page of the form's notebook by its name. */
export function openPage(name) {
    return {
        content: `Open the tab ${name}`,
        trigger: `.o_form_view .o_notebook a.nav-link[name='${name}']`,
        run: "click",
    };
}

/**
 * Put a file on the upload input of a many2many_binary field (what the
 * browser's file dialog does) and wait for it to be listed.
 */
export function uploadFile(fieldName, fileName, content, mimetype = "text/plain") {
    return [
        {
            content: `Attach ${fileName}`,
            trigger: `.o_form_view div[name='${fieldName}'] .o_attach`,
            run() {
                const input = document.querySelector(
                    `.o_form_view div[name='${fieldName}'] input.o_input_file`
                );
                const file = new File([content], fileName, { type: mimetype });
                const transfer = new DataTransfer();
                transfer.items.add(file);
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: `${fileName} is attached`,
            trigger: `.o_form_view div[name='${fieldName}'] .o_attachment[title='${fileName}']:not(.o_attachment_uploading)`,
        },
    ];
}
