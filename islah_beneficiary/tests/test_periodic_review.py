"""The periodic review of registered files: the next review date (by
category, else the association's default), the daily pass (reminder on the
right day and once, suspension after the grace period with its reason and
letter), the review that updates the file and lifts the suspension, who may
record a review (through the RPC dispatcher), and the figures."""

from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.service.model import call_kw
from odoo.tests import freeze_time, new_test_user, tagged

from odoo.addons.mail.tests.common import MailCase

from .common import GROUP_COMMITTEE, IslahCommon, IslahExportCase

TODO_REVIEW = "islah_beneficiary.mail_activity_type_periodic_review"
TODO_LETTER = "islah_beneficiary.mail_activity_type_review_letter"
# the day the files of these tests are registered (09:00 UTC: the same day
# in Riyadh, whose day the daily pass counts)
START = date(2026, 1, 15)


def _at(day):
    return freeze_time(f"{day.isoformat()} 09:00:00")


class IslahReviewCommon(IslahCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "islah_review_months": 12,
                "islah_review_reminder_days": 14,
                "islah_review_grace_days": 30,
                "islah_men_phone": "0553304342",
                "islah_women_phone": "0553304346",
            }
        )
        Category = cls.env["islah.beneficiary.category"]
        cls.cat_six = Category.create({"name": "Test review six months", "review_months": 6})
        cls.cat_three = Category.create({"name": "Test review three months", "review_months": 3})
        cls.cat_default = Category.create({"name": "Test review default", "review_months": 0})

    def _registered(self, day=START, **vals):
        with _at(day):
            beneficiary = self._create_beneficiary(**vals)
            beneficiary.with_user(self.officer_for(beneficiary)).action_register()
        return beneficiary

    def officer_for(self, beneficiary):
        return self.officer_women if beneficiary.section == "women" else self.officer_men

    def _cron(self, day):
        with _at(day):
            self.env["islah.beneficiary"]._cron_islah_periodic_review()

    def _review_todos(self, beneficiary, act_type=TODO_REVIEW):
        return beneficiary.sudo().activity_search([act_type])

    def _call(self, user, model, method, *args, **kwargs):
        return call_kw(self.env[model].with_user(user), method, list(args), kwargs)


@tagged("post_install", "-at_install", "islah_review")
class TestReviewDate(IslahReviewCommon):
    def test_company_default(self):
        """Registration sets the first review one period (the company's)
        after the registration date."""
        beneficiary = self._registered()
        self.assertEqual(beneficiary.registered_on, START)
        self.assertEqual(beneficiary.next_review_date, START + relativedelta(months=12))
        self.company.islah_review_months = 24
        other = self._registered()
        self.assertEqual(other.next_review_date, START + relativedelta(months=24))

    def test_shortest_category_period(self):
        """The shortest period of the file's categories wins; a category
        without a period (0) leaves the company's."""
        beneficiary = self._registered(
            category_ids=[Command.set((self.cat_six | self.cat_three | self.cat_default).ids)]
        )
        self.assertEqual(beneficiary.next_review_date, START + relativedelta(months=3))
        only_default = self._registered(category_ids=[Command.set(self.cat_default.ids)])
        self.assertEqual(only_default.next_review_date, START + relativedelta(months=12))

    def test_missing_dates_filled(self):
        """A file registered before the periodic review existed gets its date
        from the daily pass: a period after its registration."""
        beneficiary = self._registered(category_ids=[Command.set(self.cat_six.ids)])
        beneficiary.sudo().next_review_date = False
        draft = self._create_beneficiary()
        self._cron(START + relativedelta(days=1))
        self.assertEqual(beneficiary.next_review_date, START + relativedelta(months=6))
        self.assertFalse(draft.next_review_date, "a draft file is not under review")

    def test_only_a_manager_changes_the_date_by_hand(self):
        beneficiary = self._registered()
        with self.assertRaises(AccessError):
            self._call(
                self.officer_men,
                "islah.beneficiary",
                "write",
                beneficiary.ids,
                {"next_review_date": "2030-01-01"},
            )
        beneficiary.with_user(self.manager).write({"next_review_date": "2030-01-01"})
        self.assertEqual(beneficiary.next_review_date, date(2030, 1, 1))

    def test_review_status_filters(self):
        """The "Review due" and "Review overdue" filters of the files."""
        due = self._registered()
        overdue = self._registered()
        later = self._registered()
        due_date = START + relativedelta(months=12)
        overdue.sudo().next_review_date = due_date - relativedelta(days=20)
        later.sudo().next_review_date = due_date + relativedelta(days=60)
        today = due_date - relativedelta(days=10)
        with _at(today):
            Beneficiary = self.env["islah.beneficiary"].with_user(self.officer_men)
            files = due | overdue | later
            found_due = Beneficiary.search([("review_status", "=", "due"), ("id", "in", files.ids)])
            found_overdue = Beneficiary.search(
                [("review_status", "=", "overdue"), ("id", "in", files.ids)]
            )
            found_not_due = Beneficiary.search(
                [("review_status", "=", "not_due"), ("id", "in", files.ids)]
            )
            self.assertEqual(found_due, due)
            self.assertEqual(found_overdue, overdue)
            self.assertEqual(found_not_due, later)
            self.assertEqual(due.with_user(self.officer_men).review_status, "due")

    def test_analysis_overdue_on_the_associations_day(self):
        """The analysis counts a file overdue from the association's day,
        not the database's (UTC): a zone twelve hours off gives a day that
        differs from UTC's whatever the hour of the run."""
        self.env.cr.execute("SELECT (now() AT TIME ZONE 'UTC')")
        utc_now = self.env.cr.fetchone()[0]
        if utc_now.hour >= 12:
            # UTC+12: already tomorrow there; a file due today UTC is overdue
            tz, due, expected = "Etc/GMT-12", utc_now.date(), 1
        else:
            # UTC-12: still yesterday there; a file due yesterday is not yet
            tz, due, expected = "Etc/GMT+12", utc_now.date() - relativedelta(days=1), 0
        self.company.partner_id.tz = tz
        beneficiary = self._registered()
        beneficiary.sudo().next_review_date = due
        self.env.flush_all()
        rows = self.env["islah.beneficiary.review.report"].search(
            [("timeliness", "=", "overdue"), ("id", "=", beneficiary.id * 2 + 1)]
        )
        self.assertEqual(len(rows), expected)


@tagged("post_install", "-at_install", "islah_review")
class TestReviewCron(IslahReviewCommon, MailCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("ar_001")
        cls.due = START + relativedelta(months=12)

    def test_reminder_on_the_right_day_once(self):
        """The officer of the section gets one to-do, reminder-days before
        the date, not earlier, and not again the next days."""
        beneficiary = self._registered()
        self._cron(self.due - relativedelta(days=15))
        self.assertFalse(self._review_todos(beneficiary))
        self._cron(self.due - relativedelta(days=14))
        todo = self._review_todos(beneficiary)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.officer_men, "the officer of the men's section")
        self.assertEqual(todo.date_deadline, self.due)
        self._cron(self.due - relativedelta(days=14))
        self._cron(self.due - relativedelta(days=3))
        self.assertEqual(len(self._review_todos(beneficiary)), 1, "once per review cycle")

    def test_reminder_for_the_women_section(self):
        beneficiary = self._registered(gender="female")
        self._cron(self.due - relativedelta(days=14))
        self.assertEqual(self._review_todos(beneficiary).user_id, self.officer_women)

    def test_reminder_once_even_when_the_todo_was_done(self):
        """An officer who closes the to-do without a review is not reminded
        again for the same date."""
        beneficiary = self._registered()
        self._cron(self.due - relativedelta(days=14))
        self._review_todos(beneficiary).action_feedback(feedback="called")
        self._cron(self.due - relativedelta(days=13))
        self.assertFalse(self._review_todos(beneficiary))

    def test_suspension_after_grace_edge_day(self):
        """Not suspended on the last day of grace; suspended the day after,
        with the reason in the chatter; never twice."""
        beneficiary = self._with_mail(self._registered(email="reviewed@example.com"))
        with self.mock_mail_gateway():
            self._cron(self.due + relativedelta(days=30))
        self.assertEqual(beneficiary.state, "registered", "the last day of the grace period")
        with self.mock_mail_gateway():
            self._cron(self.due + relativedelta(days=31))
        self.assertEqual(beneficiary.state, "suspended")
        self.assertEqual(beneficiary.review_suspended_on, self.due + relativedelta(days=31))
        self.assertTrue(beneficiary.review_letter_number.startswith("REV/"))
        notes = beneficiary.message_ids.filtered(
            lambda m: "periodic review" in (m.body or "") and "overdue" in (m.body or "")
        )
        self.assertEqual(len(notes), 1, "the reason in the chatter")
        self.assertIn("30", notes.body)
        messages = len(beneficiary.message_ids)
        letter = beneficiary.review_letter_number
        with self.mock_mail_gateway():
            self._cron(self.due + relativedelta(days=32))
        self.assertEqual(len(beneficiary.message_ids), messages, "not suspended twice")
        self.assertEqual(beneficiary.review_letter_number, letter)
        self.assertFalse(self._new_mails)

    def test_legal_hold_and_anonymised_not_suspended(self):
        held = self._registered()
        held.sudo().islah_legal_hold = True
        anonymised = self._registered()
        anonymised.sudo().anonymised_on = START
        self._cron(self.due + relativedelta(days=60))
        self.assertEqual(held.state, "registered")
        self.assertEqual(anonymised.state, "registered")

    def test_letter_emailed_in_the_person_language(self):
        """The letter goes by e-mail in the person's language, the PDF
        attached; Arabic letters read right to left."""
        template = self.env.ref("islah_beneficiary.mail_template_review_suspension")
        template.with_context(lang="ar_001").subject = "ملفكم معلق حتى المراجعة الدورية"
        arabic = self._registered(email="ar.review@example.com", lang="ar_001")
        english = self._registered(email="en.review@example.com", lang="en_US")
        with self.mock_mail_gateway():
            self._cron(self.due + relativedelta(days=31))
        for beneficiary, subject, direction in (
            (arabic, "ملفكم معلق حتى المراجعة الدورية", 'dir="rtl"'),
            (english, "your file is suspended until its periodic review", 'dir="ltr"'),
        ):
            with self.subTest(lang=beneficiary.lang):
                mail = self._new_mails.filtered(
                    lambda m, b=beneficiary: b.partner_id in m.recipient_ids
                )
                self.assertEqual(len(mail), 1)
                self.assertIn(subject, mail.subject)
                self.assertEqual(len(mail.attachment_ids), 1)
                self.assertIn(
                    beneficiary.review_letter_number.replace("/", "-"),
                    mail.attachment_ids.name,
                )
                letter = mail.attachment_ids.raw.decode()
                self.assertIn(direction, letter)
                self.assertIn(beneficiary.review_letter_number, letter)
                self.assertIn("0553304342", letter, "the men's section phone to book")
        self.assertFalse(self._review_todos(arabic, TODO_LETTER))

    def test_without_email_a_todo_to_deliver_the_letter(self):
        beneficiary = self._registered(gender="female")
        with self.mock_mail_gateway():
            self._cron(self.due + relativedelta(days=31))
        self.assertEqual(beneficiary.state, "suspended")
        # (the officer is told of the to-do; nothing goes to the person)
        self.assertFalse(
            self._new_mails.filtered(lambda m: beneficiary.partner_id in m.recipient_ids)
        )
        todo = self._review_todos(beneficiary, TODO_LETTER)
        self.assertEqual(todo.user_id, self.officer_women)
        self.assertIn(beneficiary.review_letter_number, todo.summary)


@tagged("post_install", "-at_install", "islah_review")
class TestReviewRecord(IslahReviewCommon):
    def _review(self, beneficiary, user=None, **vals):
        user = user or self.officer_for(beneficiary)
        return (
            self.env["islah.beneficiary.review"]
            .with_user(user)
            .create({"beneficiary_id": beneficiary.id, **vals})
        )

    def test_review_lifts_suspension_and_sets_new_date(self):
        beneficiary = self._registered(monthly_income=3000)
        due = beneficiary.next_review_date
        self._cron(due - relativedelta(days=14))
        self._cron(due + relativedelta(days=31))
        self.assertEqual(beneficiary.state, "suspended")
        reviewed_on = due + relativedelta(days=40)
        with _at(reviewed_on):
            review = self._review(beneficiary, income_after=2000, needs="School fees")
            self.assertEqual(review.income_before, 3000)
            self.assertEqual(review.due_date, due)
            self.assertEqual(review.family_size_before, 1)
            review.action_confirm()
        self.assertEqual(review.state, "done")
        self.assertEqual(beneficiary.state, "registered")
        self.assertFalse(beneficiary.review_suspended_on)
        self.assertEqual(beneficiary.sudo().monthly_income, 2000)
        self.assertEqual(beneficiary.next_review_date, reviewed_on + relativedelta(months=12))
        self.assertEqual(review.next_review_date, beneficiary.next_review_date)
        self.assertTrue(review.lifted_suspension)
        self.assertFalse(review.on_time)
        self.assertFalse(self._review_todos(beneficiary), "the to-do is closed")
        self.assertFalse(self._review_todos(beneficiary, TODO_LETTER))
        # the next cycle starts: a reminder again before the new date
        self._cron(beneficiary.next_review_date - relativedelta(days=14))
        self.assertEqual(len(self._review_todos(beneficiary)), 1)

    def test_review_on_time_by_researcher(self):
        """A researcher of an assigned file reviews it (without writing the
        file itself); the family size is the file's."""
        beneficiary = self._registered(category_ids=[Command.set(self.cat_six.ids)])
        self._create_request(beneficiary, researcher_id=self.researcher.id)
        due = beneficiary.next_review_date
        with _at(due):
            review = self._review(beneficiary, user=self.researcher)
            beneficiary.sudo().member_ids = [Command.create({"name": "Son", "relation": "son"})]
            review.action_confirm()
        self.assertTrue(review.on_time, "done on its due date")
        self.assertEqual(review.family_size_after, 2)
        self.assertEqual(beneficiary.next_review_date, due + relativedelta(months=6))
        self.assertEqual(review.reviewer_id, self.researcher)

    def test_next_date_editable_by_manager_only(self):
        beneficiary = self._registered()
        with _at(START + relativedelta(months=11)):
            with self.assertRaises(AccessError):
                self._review(beneficiary, next_review_date="2031-01-01")
            review = self._review(beneficiary)
            with self.assertRaises(AccessError):
                self._call(
                    self.officer_men,
                    "islah.beneficiary.review",
                    "write",
                    review.ids,
                    {"next_review_date": "2031-01-01"},
                )
            review.with_user(self.manager).write({"next_review_date": "2031-01-01"})
            review.with_user(self.officer_men).action_confirm()
        self.assertEqual(beneficiary.next_review_date, date(2031, 1, 1))

    def test_confirmed_review_is_locked(self):
        beneficiary = self._registered()
        review = self._review(beneficiary)
        review.action_confirm()
        with self.assertRaises(UserError):
            review.with_user(self.officer_men).write({"notes": "changed"})
        with self.assertRaises(UserError):
            review.with_user(self.officer_men).action_confirm()
        with self.assertRaises(UserError):
            self._call(
                self.officer_men,
                "islah.beneficiary.review",
                "write",
                review.ids,
                {"state": "draft"},
            )

    def test_draft_file_not_reviewed(self):
        draft = self._create_beneficiary()
        with self.assertRaises(UserError):
            self._review(draft, user=self.officer_men)

    def test_roles_through_call_kw(self):
        """Committee members and the other section's officer can neither
        record nor read a review; nor can an unassigned researcher."""
        beneficiary = self._registered()
        review = self._review(beneficiary)
        committee = self.committee_member
        values = {"beneficiary_id": beneficiary.id}
        with self.assertRaises(AccessError):
            self._call(committee, "islah.beneficiary.review", "create", values)
        with self.assertRaises(AccessError):
            self._call(committee, "islah.beneficiary.review", "read", review.ids, ["notes"])
        with self.assertRaises(AccessError):
            self._call(
                committee, "islah.beneficiary", "action_islah_record_review", beneficiary.ids
            )
        with self.assertRaises(AccessError):
            self._call(self.officer_women, "islah.beneficiary.review", "create", values)
        with self.assertRaises(AccessError):
            self._call(
                self.officer_women, "islah.beneficiary.review", "read", review.ids, ["notes"]
            )
        rows = self._call(self.officer_women, "islah.beneficiary.review", "search_read", [], ["id"])
        self.assertNotIn(review.id, [row["id"] for row in rows])
        with self.assertRaises(AccessError):
            self._call(self.officer_women, "islah.beneficiary.review", "action_confirm", review.ids)
        with self.assertRaises(AccessError):
            self._call(self.researcher, "islah.beneficiary.review", "create", values)
        # the officer of the section may
        self._call(self.officer_men, "islah.beneficiary.review", "action_confirm", review.ids)
        self.assertEqual(review.state, "done")

    def test_income_follows_the_file_protection(self):
        """A user who may read reviews but not incomes (no officer or
        researcher group) gets no income through read or search_read."""
        beneficiary = self._registered(monthly_income=4200)
        review = self._review(beneficiary)
        reader_group = self.env["res.groups"].create({"name": "Test review readers"})
        self.env["ir.model.access"].create(
            {
                "name": "test review readers",
                "model_id": self.env.ref("islah_beneficiary.model_islah_beneficiary_review").id,
                "group_id": reader_group.id,
                "perm_read": True,
            }
        )
        reader = new_test_user(
            self.env, login="islah_review_reader", groups=f"base.group_user,{GROUP_COMMITTEE}"
        )
        reader.group_ids = [Command.link(reader_group.id)]
        Review = "islah.beneficiary.review"
        for fields in (["income_before"], ["income_after"]):
            with self.subTest(fields=fields):
                with self.assertRaises(AccessError):
                    self._call(reader, Review, "read", review.ids, fields)
                with self.assertRaises(AccessError):
                    self._call(reader, Review, "search_read", [("id", "=", review.id)], fields)
        row = self._call(reader, Review, "search_read", [("id", "=", review.id)], ["state"])[0]
        self.assertEqual(row, {"id": review.id, "state": "draft"})
        self.assertNotIn("income_before", self._call(reader, Review, "fields_get"))
        # the officer reads them
        row = self._call(self.officer_men, Review, "read", review.ids, ["income_before"])[0]
        self.assertEqual(row["income_before"], 4200)

    def test_record_review_button(self):
        beneficiary = self._registered()
        self.assertTrue(beneficiary.with_user(self.officer_men).can_record_review)
        self.assertFalse(beneficiary.with_user(self.officer_men).can_edit_review_date)
        self.assertTrue(beneficiary.with_user(self.manager_men).can_edit_review_date)
        self.assertFalse(beneficiary.with_user(self.officer_women).can_record_review)
        action = beneficiary.with_user(self.officer_men).action_islah_record_review()
        self.assertEqual(action["res_model"], "islah.beneficiary.review")
        self.assertEqual(action["context"]["default_beneficiary_id"], beneficiary.id)
        self._review(beneficiary)
        self.assertEqual(beneficiary.with_user(self.officer_men).review_count, 1)


@tagged("post_install", "-at_install", "islah_review", "islah_xlsx")
class TestReviewXlsx(IslahExportCase):
    def _sheet(self, workbook):
        return next(ws for ws in workbook.worksheets if ws.title == "Periodic reviews")

    def test_review_sheet(self):
        """On time, late and overdue by month and section, as the caller's
        sections and the export's filters allow; no names."""
        Review = self.env["islah.beneficiary.review"]
        today = self.today
        men = self._create_beneficiary(name="Xlsx Review Man")
        women = self._create_beneficiary(name="Xlsx Review Woman", gender="female")
        overdue = self._create_beneficiary(name="Xlsx Overdue Man")
        for beneficiary in men | women | overdue:
            beneficiary.sudo().action_register()
        men.sudo().next_review_date = today  # reviewed on its due day: on time
        women.sudo().next_review_date = today - relativedelta(days=1)  # a day late
        Review.create({"beneficiary_id": men.id}).action_confirm()
        Review.create({"beneficiary_id": women.id}).action_confirm()
        overdue.sudo().next_review_date = today - relativedelta(days=1)
        self.env.flush_all()

        month = today.replace(day=1)

        def rows(user, **vals):
            sheet = self._sheet(self._export(user, **vals))
            return {row[1]: row[2:] for row in self._rows(sheet) if row[0].date() == month}

        men_label, women_label = "Men's section", "Women's section"
        # [done, on time, late, share, overdue]; other files of the database
        # (demo) may add to the counts of the month: at least ours
        both = rows(self.manager)
        self.assertGreaterEqual(both[men_label][0], 1)
        self.assertGreaterEqual(both[men_label][1], 1)
        self.assertGreaterEqual(both[women_label][2], 1)
        self.assertGreaterEqual(both[men_label][4], 1)
        men_only = rows(self.manager_men)
        self.assertNotIn(women_label, men_only, "the caller's section only")
        filtered = rows(self.manager, section="women")
        self.assertEqual(set(filtered), {women_label})
        header = self._header(self._sheet(self._export(self.manager)))
        self.assertEqual(header[0], "Month")
        self.assertNotIn("Beneficiary", header)
        text = str(self._rows(self._sheet(self._export(self.manager))))
        self.assertNotIn("Xlsx Review", text)
        empty = rows(
            self.manager,
            date_from=today - relativedelta(years=3),
            date_to=today - relativedelta(years=2),
        )
        self.assertFalse(empty, "the period filters the reviews")
        self.assertFalse(
            self._rows(
                self._sheet(
                    self._export(
                        self.manager,
                        date_from=today - relativedelta(years=3),
                        date_to=today - relativedelta(years=2),
                    )
                )
            )
        )
