from stdnum import luhn

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "islah_ui")
class TestRequestUi(HttpCase):
    """The back-office form takes a request from received to the committee."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.users"].browse(cls.env.ref("base.user_admin").id).islah_section = "both"
        cls.service = cls.env["islah.service.type"].create(
            {"name": "Tour Service", "needs_research": False, "needs_committee": True}
        )
        cls.medium = cls.env["utm.medium"].create({"name": "Tour Channel", "islah_channel": True})
        Beneficiary = cls.env["islah.beneficiary"].with_context(active_test=False)
        for counter in range(1000):
            body = f"1996{counter:05d}"
            national_id = body + luhn.calc_check_digit(body)
            if not Beneficiary.search_count([("national_id", "=", national_id)]):
                break
        cls.beneficiary = Beneficiary.create(
            {
                "name": "Tour Beneficiary",
                "gender": "male",
                "consent": True,
                "national_id": national_id,
            }
        )

    def test_request_tour(self):
        self.start_tour(
            "/odoo/action-islah_beneficiary.islah_support_request_action",
            "islah_request_tour",
            login="admin",
        )
        request = self.env["islah.support.request"].search(
            [("beneficiary_id", "=", self.beneficiary.id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(request.state, "committee")
        self.assertEqual(request.service_type_id, self.service)
        self.assertEqual(request.medium_id, self.medium)
        self.assertTrue(request.declaration_accepted)
        self.assertTrue(request.decision_deadline)
