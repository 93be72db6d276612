import {
    checkArabic,
    registerRoleTour,
} from "@islah_beneficiary/../tests/tours/islah_tour_utils";

/**
 * A visitor, in Arabic, with no login (issue 15): the services guide, a
 * service's page, its "apply" button, and the request form with that service
 * already chosen. Data: tests/test_service_guide.py.
 */
registerRoleTour("islah_tour_service_guide", "/ar/islah/services", () => [
    {content: "The services guide", trigger: "#islah_services .o_islah_service_card"},
    checkArabic("services guide"),
    {
        content: "Open the tour's service",
        trigger: ".o_islah_service_link:contains(خدمة دليل الجولة)",
        run: "click",
        expectUnloadPage: true,
    },
    {content: "The service's page", trigger: "h1.o_islah_service_name:contains(خدمة دليل الجولة)"},
    {content: "Its documents", trigger: "#islah_service_documents li:contains(صورة الهوية للجولة)"},
    {content: "Its questions", trigger: "#islah_service_faq .o_islah_faq"},
    checkArabic("a service of the guide"),
    {
        content: "Apply for this service",
        trigger: "a#islah_apply",
        run: "click",
        expectUnloadPage: true,
    },
    {
        content: "The request form, with the service chosen",
        trigger: "select#islah_service_type_id",
        run() {
            const select = document.querySelector("select#islah_service_type_id");
            const chosen = select.options[select.selectedIndex];
            if (!chosen || !chosen.textContent.includes("خدمة دليل الجولة")) {
                throw new Error(`the service is not preselected: ${chosen && chosen.textContent}`);
            }
        },
    },
]);
