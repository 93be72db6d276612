"""Unit tests of the committee's arithmetic in ``tools/committee.py`` (no ORM)."""

from odoo.tests import tagged
from odoo.tests.common import BaseCase

from odoo.addons.islah_beneficiary.tools.committee import (
    count_votes,
    is_quorum_reached,
    majority_outcome,
    meeting_quorum,
)


@tagged("post_install", "-at_install")
class TestCommitteeTools(BaseCase):
    def test_count_votes(self):
        self.assertEqual(
            count_votes(["approve", "reject", "approve", "abstain", False, None]),
            {"approve": 2, "reject": 1, "abstain": 1, "pending": 2},
        )
        self.assertEqual(count_votes([]), {"approve": 0, "reject": 0, "abstain": 0, "pending": 0})

    def test_majority_of_votes_cast(self):
        self.assertEqual(majority_outcome(2, 1), "approved")
        self.assertEqual(majority_outcome(1, 2), "rejected")
        # the chair's vote does not count twice outside a tie
        self.assertEqual(majority_outcome(2, 1, "reject"), "approved")
        self.assertEqual(majority_outcome(1, 2, "approve"), "rejected")

    def test_tie_goes_the_chairs_way(self):
        self.assertEqual(majority_outcome(1, 1, "approve"), "approved")
        self.assertEqual(majority_outcome(1, 1, "reject"), "rejected")
        # chair abstained, absent or not voted: deferred
        for chair_vote in ("abstain", False, None):
            with self.subTest(chair_vote=chair_vote):
                self.assertEqual(majority_outcome(1, 1, chair_vote), "deferred")
        self.assertEqual(majority_outcome(0, 0), "deferred")

    def test_quorum(self):
        # frozen at the session's start, the company's setting before, at least one
        self.assertEqual(meeting_quorum(3, 5), 3)
        self.assertEqual(meeting_quorum(0, 5), 5)
        self.assertEqual(meeting_quorum(False, 0), 1)
        self.assertTrue(is_quorum_reached(3, 3))
        self.assertFalse(is_quorum_reached(2, 3))
