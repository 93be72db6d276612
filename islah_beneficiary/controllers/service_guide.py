from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from ..tools.service_guide import (
    MAX_AGE,
    MAX_FAMILY_SIZE,
    MAX_MONTHLY_INCOME,
    parse_bounded_number,
)

# the self-check's questions, in the order of the page
CHECK_FIELDS = ["category_ids", "family_size", "monthly_income", "city_id", "age"]
# the answer "my city is not in the list"
OTHER_CITY = "other"


def _sitemap_services(env, rule, qs):
    """The guide's pages of the services offered, for a sitemap."""
    services = env["crm.lead"]._islah_web_intake_all_services(env.company)
    for service in services:
        loc = f"/islah/services/{service.id}"
        if not qs or qs.lower() in loc:
            yield {"loc": loc}


class IslahServiceGuide(http.Controller):
    """The public services guide and the eligibility self-check: no login,
    nothing about anyone. The services are the company's active ones, open
    for applications or not (the request form offers the open ones); the
    self-check stores nothing, not even the answers."""

    def _islah_services(self):
        # open for applications or not: a closed service says when it opens
        return request.env["crm.lead"]._islah_web_intake_all_services(request.env.company)

    def _islah_service(self, service_id):
        service = self._islah_services().filtered(lambda s: s.id == service_id)
        if not service:
            # inactive, of another company or unknown: the same 404
            raise NotFound()
        return service

    def _islah_contact(self):
        # sudo: the public reads the association's published contact lines only
        company = request.env.company.sudo()
        return {
            "men_phone": company.islah_men_phone,
            "women_phone": company.islah_women_phone,
            "email": company.email,
        }

    @http.route(
        "/islah/services", type="http", auth="public", methods=["GET"], website=True, sitemap=True
    )
    def islah_services(self, **kwargs):
        return request.render(
            "islah_beneficiary.service_guide_list_page",
            {"services": self._islah_services(), "contact": self._islah_contact()},
        )

    @http.route(
        "/islah/services/<int:service_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=_sitemap_services,
    )
    def islah_service(self, service_id, **kwargs):
        service = self._islah_service(service_id)
        # the public's own access: active questions of active services (rules)
        faqs = request.env["islah.service.faq"].search([("service_type_id", "=", service.id)])
        return request.render(
            "islah_beneficiary.service_guide_service_page",
            {
                "service": service,
                "faqs": faqs,
                "is_open": service._islah_is_open(),
                "contact": self._islah_contact(),
            },
        )

    # ------------------------------------------------------------------
    # Eligibility self-check
    # ------------------------------------------------------------------

    def _islah_check_choices(self):
        # sudo: the public reads the names of the categories and cities to choose from
        return {
            "categories": request.env["islah.beneficiary.category"].sudo().search([]),
            "cities": request.env["islah.city"].sudo().search([]),
        }

    def _islah_check_render(self, values, errors=None, results=None):
        return request.render(
            "islah_beneficiary.service_guide_eligibility_page",
            dict(
                self._islah_check_choices(),
                values=values,
                errors=errors or {},
                results=results,
                other_city=OTHER_CITY,
            ),
        )

    @http.route(
        "/islah/eligibility",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=True,
    )
    def islah_eligibility_form(self, **kwargs):
        return self._islah_check_render({"category_ids": []})

    @http.route(
        "/islah/eligibility",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def islah_eligibility_check(self, **post):
        """The answers are read, checked and forgotten: nothing is written."""
        values, facts, errors = self._islah_check_read(post)
        if errors:
            return self._islah_check_render(values, errors)
        services = self._islah_services()
        verdicts = services._islah_eligibility(facts)
        results = [
            {
                "service": service,
                "eligible": verdicts.get(service.id, {}).get("eligible"),
                "reasons": verdicts.get(service.id, {}).get("reasons") or [],
                "is_open": service._islah_is_open(),
            }
            for service in services
        ]
        return self._islah_check_render(values, results=results)

    def _islah_check_read(self, post):
        """``(values kept for the page, facts for the engine, errors)``."""
        choices = self._islah_check_choices()
        values = {key: (post.get(key) or "").strip()[:32] for key in CHECK_FIELDS}
        errors = {}
        category_ids = []
        for raw in request.httprequest.form.getlist("category_ids")[:50]:
            if raw.isdigit() and int(raw) in choices["categories"].ids:
                category_ids.append(int(raw))
        values["category_ids"] = category_ids
        if not category_ids:
            errors["category_ids"] = request.env._("Choose at least one category.")
        messages = {
            "required": request.env._("This answer is required."),
            "not_a_number": request.env._("Type a whole number, in digits."),
        }
        family_size, error = parse_bounded_number(values["family_size"], 1, MAX_FAMILY_SIZE)
        if error:
            errors["family_size"] = messages.get(error) or request.env._(
                "The family counts from 1 to %(max)s members, the applicant included.",
                max=MAX_FAMILY_SIZE,
            )
        income, error = parse_bounded_number(
            values["monthly_income"], 0, MAX_MONTHLY_INCOME, integer=False
        )
        if error:
            errors["monthly_income"] = {
                "required": messages["required"],
                "not_a_number": request.env._("Type an amount in digits, for example 4500."),
            }.get(error) or request.env._(
                "The income cannot be negative or more than %(max)s.", max=f"{MAX_MONTHLY_INCOME:,}"
            )
        city_id = None
        if values["city_id"] == OTHER_CITY:
            # a city not in the list: in none of the cities a service covers
            city_id = 0
        elif values["city_id"].isdigit() and int(values["city_id"]) in choices["cities"].ids:
            city_id = int(values["city_id"])
        else:
            errors["city_id"] = request.env._("Choose your city, or that it is not in the list.")
        age, error = parse_bounded_number(values["age"], 0, MAX_AGE, required=False)
        if error:
            errors["age"] = messages.get(error) or request.env._(
                "The age is from 0 to %(max)s years.", max=MAX_AGE
            )
        facts = {
            "category_ids": category_ids,
            "family_size": family_size,
            "monthly_income": income,
            "city_id": city_id,
            "age": age,
        }
        return values, facts, errors
