"""The Research Committee's arithmetic, as plain functions: how ballots are
counted, which outcome the majority gives and what quorum a meeting needs.
Written without the ORM so that the rules are tested without a database."""

from collections import Counter

OUTCOMES = [
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("deferred", "Deferred"),
    ("more_information", "More information needed"),
]
FINAL_OUTCOMES = ("approved", "rejected")
# a decision with one of these outcomes states its reason in the letter
REASON_OUTCOMES = ("rejected", "deferred", "more_information")


def count_votes(votes):
    """``{"approve", "reject", "abstain", "pending"}`` counts of the ballots'
    values (``False`` or empty: not voted yet)."""
    counts = Counter(vote or "pending" for vote in votes)
    return {key: counts[key] for key in ("approve", "reject", "abstain", "pending")}


def majority_outcome(approve, reject, chair_vote=None):
    """Approved or rejected by the majority of the votes cast; on a tie the
    chair's vote decides, and without it (abstained, absent) the request is
    deferred."""
    if approve > reject:
        return "approved"
    if reject > approve:
        return "rejected"
    if chair_vote == "approve":
        return "approved"
    if chair_vote == "reject":
        return "rejected"
    return "deferred"


def meeting_quorum(frozen_quorum, company_quorum):
    """The quorum of a meeting: frozen when its session starts, the company's
    current setting before; at least one member in any case."""
    return frozen_quorum or company_quorum or 1


def is_quorum_reached(attendee_count, quorum):
    return attendee_count >= quorum
