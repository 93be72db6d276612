import functools
import io
import logging
import os
import resource
import signal
import subprocess
import tempfile
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

from odoo import api, models
from odoo.tools.misc import find_in_path

from odoo.addons.base.models.ir_actions_report import _wkhtml

_logger = logging.getLogger(__name__)

# The names Odoo looks for when it starts a browser for its tours
# (odoo.tests.common._find_executable, test machinery a server cannot import).
CHROMIUM_NAMES = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--no-pdf-header-footer",
)
CHROMIUM_TIMEOUT = 120  # seconds, per letter
# wkhtmltopdf draws a CSS pixel at about 0.77 of its size in Chromium (measured
# on the same letter): the letters keep the size they have with either build.
WKHTMLTOPDF_SCALE = 0.77


def _lift_address_space_limit():
    """In Chromium's process: Odoo's workers cap their address space
    (limit_memory_hard), and Chromium reserves far more than it uses: it
    would abort at start. As Odoo does for the browser of its tours."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))


def _run_chromium(command):
    """Run Chromium; on timeout stop it with the processes it started.
    Returns its exit code and error output. (A function of its own, like
    Odoo's ``_run_wkhtmltopdf``, for tests to let its requests in.)"""
    # pylint: disable=subprocess-popen-preexec-fn
    with subprocess.Popen(  # noqa: PLW1509
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_lift_address_space_limit,
    ) as process:
        try:
            _out, err = process.communicate(timeout=CHROMIUM_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
    return process.returncode, err.decode(errors="replace")


@functools.lru_cache(1)
def _find_chromium():
    """The path of a Chromium or Chrome binary, or None."""
    for name in CHROMIUM_NAMES:
        try:
            return find_in_path(name)
        except OSError:
            continue
    return None


class ChromiumPrintError(Exception):
    """Chromium did not print a letter."""


class IrActionsReport(models.Model):
    """The association's letters through headless Chromium where wkhtmltopdf
    is the unpatched Qt build (Debian's package): its old WebKit lays out
    right-to-left text wrongly (runs past the margin, overlapping words).
    The patched build (the official Docker image) keeps printing them."""

    _inherit = "ir.actions.report"

    @api.model
    def _islah_chromium_for(self, report_ref):
        """The Chromium binary to print ``report_ref`` with, or None for
        wkhtmltopdf: only this module's letters, only on the unpatched build."""
        if _wkhtml().is_patched_qt or not report_ref:
            return None
        report = self._get_report(report_ref)
        if not (report.report_name or "").startswith("islah_beneficiary."):
            return None
        chromium = _find_chromium()
        if not chromium:
            _logger.warning(
                "No Chromium found: %s is printed by the unpatched wkhtmltopdf, "
                "whose right-to-left layout is wrong.",
                report.report_name,
            )
        return chromium

    @api.model
    def _run_wkhtmltopdf(
        self,
        bodies,
        report_ref=False,
        header=None,
        footer=None,
        landscape=False,
        specific_paperformat_args=None,
        set_viewport_size=False,
    ):
        chromium = self._islah_chromium_for(report_ref)
        if chromium:
            try:
                return self._islah_run_chromium(
                    chromium, bodies, report_ref, landscape, specific_paperformat_args
                )
            except (
                OSError,
                subprocess.SubprocessError,
                etree.LxmlError,
                ChromiumPrintError,
            ) as error:
                _logger.warning(
                    "Chromium could not print %s, falling back to wkhtmltopdf: %s",
                    self._get_report(report_ref).report_name,
                    error,
                )
        return super()._run_wkhtmltopdf(
            bodies,
            report_ref=report_ref,
            header=header,
            footer=footer,
            landscape=landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )

    @api.model
    def _islah_page_css(self, report_ref, landscape, specific_paperformat_args):
        """The ``@page`` rule saying what wkhtmltopdf's paper arguments say:
        size and orientation of the report's paper format, its margins in mm,
        the top and bottom ones overridden by the report's ``data-report-*``."""
        args = specific_paperformat_args or {}
        if landscape is None:
            landscape = args.get("data-report-landscape")
        paperformat = self._get_report(report_ref).get_paperformat()
        width, height = paperformat.print_page_width, paperformat.print_page_height
        if landscape and width < height:
            width, height = height, width
        size = f"{width}mm {height}mm" if width and height else "A4"
        top = args.get("data-report-margin-top", paperformat.margin_top)
        bottom = args.get("data-report-margin-bottom", paperformat.margin_bottom)
        # wkhtmltopdf lays the page out wider than any breakpoint: the body,
        # a Bootstrap container, spans the page there.
        return (
            f"@page {{ size: {size}; margin: {float(top)}mm {paperformat.margin_right}mm "
            f"{float(bottom)}mm {paperformat.margin_left}mm; }} "
            f"html {{ zoom: {WKHTMLTOPDF_SCALE}; }} body.container {{ max-width: none; }}"
        )

    @api.model
    def _islah_chromium_html(self, body, page_css):
        """``body`` with its page rule, and a content security policy in place
        of wkhtmltopdf's --disable-local-file-access: the letter is opened
        from a file, and must load nothing but the server's assets (over the
        ``<base>`` URL, as wkhtmltopdf does) and inline images."""
        document = lxml.html.document_fromstring(body)
        head = document.find("head")
        if head is None:
            head = etree.Element("head")
            document.insert(0, head)
        base = head.find("base")
        origin = ""
        if base is not None and base.get("href"):
            url = urlsplit(base.get("href"))
            if url.scheme in ("http", "https"):
                origin = f"{url.scheme}://{url.netloc}"
        policy = etree.Element("meta")
        policy.set("http-equiv", "Content-Security-Policy")
        policy.set(
            "content",
            f"default-src 'none'; style-src {origin} 'unsafe-inline'; "
            f"font-src {origin} data:; img-src {origin} data:",
        )
        head.insert(0, policy)
        style = etree.SubElement(head, "style")
        style.text = page_css
        return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")

    @api.model
    def _islah_run_chromium(self, chromium, bodies, report_ref, landscape, paperformat_args):
        """Print each body to a PDF of its own with headless Chromium, and
        merge them as Odoo merges the PDFs of several records."""
        page_css = self._islah_page_css(report_ref, landscape, paperformat_args)
        with tempfile.TemporaryDirectory(prefix="islah_letter.", ignore_cleanup_errors=True) as tmp:
            pdfs = []
            for index, body in enumerate(bodies):
                html_path = os.path.join(tmp, f"letter.{index}.html")
                pdf_path = os.path.join(tmp, f"letter.{index}.pdf")
                with open(html_path, "w", encoding="utf-8") as html_file:
                    html_file.write(self._islah_chromium_html(body, page_css))
                if os.environ.get("ISLAH_DEBUG_HTML"):  # TEMPDEBUG
                    import shutil

                    shutil.copy(
                        html_path, os.environ["ISLAH_DEBUG_HTML"] + f"/{index}_{self.env.lang}.html"
                    )  # TEMPDEBUG
                command = [
                    chromium,
                    *CHROMIUM_ARGS,
                    f"--user-data-dir={os.path.join(tmp, 'profile')}",
                    f"--print-to-pdf={pdf_path}",
                    f"file://{html_path}",
                ]
                returncode, err = _run_chromium(command)
                if returncode:
                    raise ChromiumPrintError(f"exit code {returncode}: {err[-1000:]}")
                with open(pdf_path, "rb") as pdf_file:
                    pdf = pdf_file.read()
                if not pdf.startswith(b"%PDF"):
                    raise ChromiumPrintError("no PDF written")
                pdfs.append(pdf)
        if len(pdfs) == 1:
            return pdfs[0]
        with self._merge_pdfs([io.BytesIO(pdf) for pdf in pdfs]) as merged:
            return merged.getvalue()
