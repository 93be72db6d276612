from odoo.tests import tagged, users, warmup

from .common import IslahCommon


@tagged("post_install", "-at_install", "is_query_count", "islah_performance")
class TestRequestPerformance(IslahCommon):
    """Query counts of the everyday operations, so a regression (an N+1
    query, a compute gone wild) shows up in the tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.beneficiary = cls._create_beneficiary(name="Performance Beneficiary")

    @users("islah_officer_men")
    @warmup
    def test_create_request(self):
        Request = self.env["islah.support.request"]
        with self.assertQueryCount(islah_officer_men=31):
            request = Request.create(
                {
                    "beneficiary_id": self.beneficiary.id,
                    "service_type_id": self.service_full.id,
                    "medium_id": self.channel_interview.id,
                }
            )
            self.env.flush_all()
        self.assertEqual(len(request.document_ids), 2)

    @users("islah_officer_men")
    @warmup
    def test_start_verification(self):
        request = self._create_request(self.beneficiary).with_env(self.env)
        self.env.flush_all()
        self.env.invalidate_all()
        # +2 since the hand-off to-dos: the request's open to-dos are looked up
        # to close those the step made stale
        with self.assertQueryCount(islah_officer_men=7):
            request.action_start_verification()
            self.env.flush_all()
        self.assertEqual(request.state, "verification")
