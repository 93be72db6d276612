from odoo import models
from odoo.fields import Domain

from . import islah_xlsx_writer as xw


class IslahRequestXlsxReport(models.AbstractModel):
    """The periodic reviews sheet of the managers' workbook: reviews done on
    time and late, and files overdue, by month and section. Counts only:
    no name, income or need."""

    _inherit = "islah.request.xlsx.report"  # pylint: disable=consider-merging-classes-inherited

    def _xlsx_sheets(self):
        return super()._xlsx_sheets() + ["review"]

    def _review_domain(self, export):
        """The export's period (the review's date; an overdue file's review
        date) and section; the caller's sections are the record rules'."""
        domain = Domain("date", ">=", export.date_from) & Domain("date", "<=", export.date_to)
        if export.section:
            domain &= Domain("section", "=", export.section)
        return domain

    def _review_rows(self, export):
        """``[month, section, done, on time, late, share on time, overdue]``
        per month and section, counted by the database."""
        sections = self._selection_labels("islah.beneficiary.review.report", "section")
        groups = self.env["islah.beneficiary.review.report"]._read_group(
            self._review_domain(export),
            ["date:month", "section"],
            ["review_count:sum", "on_time_count:sum", "late_count:sum", "overdue_count:sum"],
            order="date:month, section",
        )
        for month, section, done, on_time, late, overdue in groups:
            yield [
                month,
                sections.get(section, ""),
                done,
                on_time,
                late,
                on_time / done if done else None,
                overdue,
            ]

    def _write_review_sheet(self, book, export):
        """Periodic reviews: on time, late and overdue."""
        sheet = book.add_sheet(
            self.env._("Periodic reviews"),
            [
                (self.env._("Month"), 12, xw.DATE),
                (self.env._("Section"), 18, xw.TEXT),
                (self.env._("Reviews done"), 12, xw.INTEGER),
                (self.env._("On time"), 10, xw.INTEGER),
                (self.env._("Late"), 10, xw.INTEGER),
                (self.env._("On time (%)"), 12, xw.PERCENT),
                (self.env._("Files overdue"), 12, xw.INTEGER),
            ],
        )
        for row in self._review_rows(export):
            sheet.write_row(row)
