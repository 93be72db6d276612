import {browser} from "@web/core/browser/browser";
import {
    checkArabic,
    registerRoleTour,
    landingSteps,
    menuSteps,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * The manager, in Arabic, from the landing screen (the my-work screen, with
 * the section's figures): the requests analysis (pivot and graph), then the
 * Excel export, downloaded and checked to be a workbook.
 * Data: tests/test_tours.py (requests of both sections).
 */
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
let exportUrl = null;

registerRoleTour("islah_tour_manager", "/odoo", () => [
    ...landingSteps(),
    checkArabic("the manager's landing"),
    ...menuSteps("islah_support_request_menu_analysis", "islah_beneficiary_menu_reporting"),
    {content: "The pivot table", trigger: ".o_pivot_view .o_pivot table"},
    checkArabic("requests analysis (pivot)"),
    {content: "The graph", trigger: ".o_cp_switch_buttons .o_graph", run: "click"},
    {trigger: ".o_graph_view canvas"},
    checkArabic("requests analysis (graph)"),
    ...menuSteps("islah_report_export_menu", "islah_beneficiary_menu_reporting"),
    {content: "The export dialog", trigger: ".modal .o_form_view .o_field_widget[name=date_from]"},
    checkArabic("Excel export dialog"),
    {
        content: "Download the workbook",
        trigger: ".modal-footer button[name=action_export]",
        async run({click}) {
            // the download opens a new tab: keep its address, to fetch it here
            const open = browser.open;
            browser.open = (url) => {
                exportUrl = url;
                return {closed: false};
            };
            try {
                await click(this.anchor);
            } finally {
                setTimeout(() => (browser.open = open), 2000);
            }
        },
    },
    {
        content: "The workbook is served",
        trigger: "body",
        async run({waitUntil}) {
            await waitUntil(() => exportUrl, {timeout: 10000});
            const response = await fetch(exportUrl);
            const type = response.headers.get("Content-Type") || "";
            const size = (await response.blob()).size;
            if (!response.ok || !type.startsWith(XLSX) || size < 1000) {
                throw new Error(`export ${exportUrl}: ${response.status} ${type} ${size} bytes`);
            }
        },
    },
]);
