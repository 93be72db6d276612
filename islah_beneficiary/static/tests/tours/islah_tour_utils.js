import {registry} from "@web/core/registry";

/**
 * Shared steps of the per-role tours (issue 11): the landing screen, the
 * application menu, file uploads, and the check that no visible label of
 * the screen is left in English.
 */

/** The "my work" screen is every staff member's landing (issue 11). While it
 * is not built yet the landing step only logs what it found; set this to true
 * to make the tours fail when the landing is not the my-work screen. */
export const REQUIRE_MY_WORK_LANDING = true;
export const MY_WORK_ACTION = "islah_beneficiary.islah_my_work_action";
export const APP_MENU = "islah_beneficiary.islah_beneficiary_menu_root";

// the labels of a screen: fields, steps, buttons, columns, tabs, menus, titles
const LABEL_SELECTORS = [
    ".o_form_label",
    ".o_statusbar_status button",
    ".o_statusbar_buttons button",
    ".o_form_view .o_notebook .nav-link",
    ".o_form_view .o_horizontal_separator",
    ".o_list_table thead th",
    ".o_control_panel .o_breadcrumb",
    ".o_control_panel .o_cp_switch_buttons",
    ".o_control_panel .o_control_panel_main_buttons button",
    ".o_searchview_facet",
    ".o_menu_brand",
    ".o_menu_sections",
    ".o_kanban_group .o_column_title",
    ".o_pivot thead th",
    ".modal-title",
    ".modal-footer button",
    ".modal-body .o_form_label",
    ".o_portal_wrap h1, .o_portal_wrap h2, .o_portal_wrap th, .o_portal_wrap dt",
    ".o_portal_wrap .badge, .o_portal_wrap .breadcrumb, .o_portal_wrap button",
    ".o_survey_form .js_question-wrapper h3, .o_survey_form button",
    ".o_survey_form .o_survey_choice_btn, .o_survey_form label",
    ".o_survey_start h1, .o_survey_start button, .o_survey_finished h1, .o_survey_finished a",
].join(", ");

// words that are no English label: numbers (REQ/2026/0001), e-mails, URLs,
// and the few Latin names the association's Arabic screens use as such
const ALLOWED_TOKEN = /[/@\d.:_]|^(Odoo|PDF|JPG|PNG|MB|IBAN|SAR|Excel|CSV|OK)$/;

/** The visible labels of ``root`` (a document) that still hold English
 * words: the label itself when short, else its English words. */
export function untranslatedTexts(root = document) {
    const found = new Set();
    for (const el of root.querySelectorAll(LABEL_SELECTORS)) {
        if (!el.checkVisibility || !el.checkVisibility()) {
            continue;
        }
        const text = (el.innerText || "").replace(/\s+/g, " ").trim();
        const words = text.split(/[\s()[\]،,;:!?«»"']+/).filter(Boolean);
        const english = words.filter(
            (word) => /[A-Za-z]{3,}/.test(word) && !ALLOWED_TOKEN.test(word)
        );
        if (english.length) {
            found.add(text.length <= 60 ? text : english.join(" "));
        }
    }
    return [...found];
}

const FOUND_KEY = "islah_tour_untranslated";

function foundTexts() {
    return JSON.parse(sessionStorage.getItem(FOUND_KEY) || "[]");
}

/** A step that notes the visible labels of the screen left in English (the
 * tour fails at its end, listing them all: one run shows every screen's), and
 * fails at once when the page is not laid out right-to-left. */
export function checkArabic(screen) {
    return {
        content: `Arabic only on: ${screen}`,
        trigger: "body",
        run() {
            // the web client and the portal mark right-to-left pages with o_rtl
            const rtl = document.querySelector(".o_rtl, [dir=rtl]");
            if (!rtl && getComputedStyle(document.body).direction !== "rtl") {
                throw new Error(`${screen}: the page is not laid out right-to-left`);
            }
            const texts = untranslatedTexts().map((text) => `${screen}: ${text}`);
            if (texts.length) {
                console.warn(`islah tour: untranslated labels on ${texts.join(" | ")}`);
                sessionStorage.setItem(FOUND_KEY, JSON.stringify([...foundTexts(), ...texts]));
            }
        },
    };
}

/** Register a role's tour: its steps, then the verdict on the labels seen.
 * (Test runs may set the cookie islah_tour_lenient=1 to only log them.) */
export function registerRoleTour(name, url, steps) {
    registry.category("web_tour.tours").add(name, {
        url,
        steps: () => [
            {
                content: "Start with no untranslated label noted",
                trigger: "body",
                run() {
                    sessionStorage.removeItem(FOUND_KEY);
                },
            },
            ...steps(),
            {
                content: "No untranslated label on any screen of the tour",
                trigger: "body",
                run() {
                    const found = [...new Set(foundTexts())];
                    sessionStorage.removeItem(FOUND_KEY);
                    if (found.length && !document.cookie.includes("islah_tour_lenient=1")) {
                        throw new Error(`untranslated labels:\n${found.join("\n")}`);
                    }
                },
            },
        ],
    });
}

function currentActionXmlid() {
    const root = odoo.__WOWL_DEBUG__ && odoo.__WOWL_DEBUG__.root;
    const controller = root && root.env.services.action.currentController;
    return (controller && controller.action && controller.action.xml_id) || "";
}

/** The landing screen at /odoo, then the application's menu. */
export function landingSteps() {
    return [
        {
            content: "The landing screen is loaded",
            trigger: ".o_main_navbar",
        },
        {
            trigger: ".o_action_manager > *",
        },
        {
            content: "The landing screen is the my-work screen (عملي)",
            trigger: REQUIRE_MY_WORK_LANDING
                ? ".o_islah_my_work"
                : "body",
            run() {
                const xmlid = currentActionXmlid();
                if (!document.querySelector(".o_islah_my_work")) {
                    console.info(`islah tour: landing is "${xmlid || location.pathname}"`);
                }
            },
        },
        ...openAppSteps(),
    ];
}

/** Open the Beneficiary Relations app from the apps menu, unless it is open. */
export function openAppSteps() {
    const appNotOpen = `body:not(:has(.o_menu_brand[data-menu-xmlid="${APP_MENU}"]))`;
    return [
        {
            isActive: [appNotOpen],
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button:enabled",
            run: "click",
        },
        {
            isActive: [appNotOpen],
            content: "Open Beneficiary Relations",
            trigger: `.o_app[data-menu-xmlid="${APP_MENU}"]`,
            run: "click",
        },
        {
            content: "The app is open",
            trigger: `.o_menu_brand[data-menu-xmlid="${APP_MENU}"]`,
        },
    ];
}

/** Click a menu of the app: ``parent`` is the section holding ``menu``. A
 * section the navbar has no room for is in its "more" (+) dropdown. */
export function menuSteps(menu, parent = null) {
    const xmlid = (name) => `[data-menu-xmlid="islah_beneficiary.${name}"]`;
    return [
        {
            content: `Open the menu ${parent ? `${parent} > ` : ""}${menu}`,
            trigger: ".o_menu_sections",
            async run({click, waitFor}) {
                const section = document.querySelector(
                    `.o_menu_sections ${xmlid(parent || menu)}:not(.o_more_dropdown_section)`
                );
                if (section && section.checkVisibility()) {
                    await click(section);
                    if (!parent) {
                        return;
                    }
                } else {
                    await click(".o_menu_sections_more button");
                }
                await click(await waitFor(`.o-dropdown--menu ${xmlid(menu)}`, {timeout: 5000}));
            },
        },
    ];
}

/** Choose ``label`` in the selection field ``field`` (a SelectMenu). */
export function selectSteps(field, label, scope = "") {
    return [
        {
            content: `Open the choices of ${field}`,
            trigger: `${scope} .o_field_widget[name=${field}] .o_select_menu_toggler`,
            run: "click",
        },
        {
            content: `Choose ${label}`,
            trigger: `.o_select_menu_menu .o_select_menu_item:contains(${label})`,
            run: "click",
        },
    ];
}

/** Put a small PDF in the file ``input`` (as a user choosing it would). */
export function setInputFile(input, name = "document.pdf") {
    const content = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
    const file = new File([content], name, {type: "application/pdf"});
    const transfer = new DataTransfer();
    transfer.items.add(file);
    input.files = transfer.files;
    input.dispatchEvent(new Event("change", {bubbles: true}));
}

/** A step picking ``text`` in the open autocomplete dropdown. */
export function pickAutocomplete(text) {
    return {
        trigger: `.o-autocomplete--dropdown-item a:contains(${text})`,
        run: "click",
    };
}
