"""Shared by ``deadline_pass.py`` and ``scale.py``: a throwaway database copied
from a template (a no-demo database with the addons installed), Odoo opened as
a library on it, and set-based populating by ``INSERT ... SELECT
generate_series`` (one statement per table, whatever the number of rows;
``populate.py`` builds its rows in Python, which is fine at 100k but not at
1M)."""

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def add_common_args(parser, default_db):
    parser.add_argument(
        "--template-db",
        required=True,
        help="a database with islah_beneficiary installed, without demo data",
    )
    parser.add_argument("-d", "--database", default=default_db, help="created, then dropped")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("-c", "--config", default=str(REPO / "odoo.conf"))
    parser.add_argument("--addons-path", default=f"/opt/odoo19/addons,{REPO}")


def create_database(args):
    subprocess.run(["dropdb", "--if-exists", "--force", args.database], check=True)
    subprocess.run(["createdb", "-T", args.template_db, args.database], check=True)


def drop_database(args):
    from odoo.modules.registry import Registry  # noqa: PLC0415

    Registry.delete(args.database)
    subprocess.run(["dropdb", "--if-exists", "--force", args.database], check=True)


def open_registry(args):
    import odoo.service.server  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(
        [
            "-c",
            args.config,
            "-d",
            args.database,
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
        ],
        setup_logging=True,
    )
    odoo.service.server.load_server_wide_modules()
    return Registry(args.database)


def populate_series(env, count, request_sql, *, sections=("men", "women")):
    """``count`` partners, beneficiaries (sections in turn by gender, a
    national ID or an iqama) and one request each, with the request columns
    given by ``request_sql``: a dict ``column: SQL expression`` over ``i``
    (the row number, from 0), ``b`` (the beneficiary row) and ``now``.
    Returns the seconds spent by PostgreSQL."""
    import time  # noqa: PLC0415

    cr = env.cr
    company = env.company.id
    uid = env.ref("base.user_admin").id
    started = time.perf_counter()
    cr.execute("SELECT coalesce(max(id), 0) FROM res_partner")
    first_partner = cr.fetchone()[0] + 1
    cr.execute(
        """
        INSERT INTO res_partner (name, complete_name, type, active, is_company, company_id,
                                 ref, lang, create_date, write_date, create_uid, write_uid)
        SELECT 'Bench Beneficiary ' || i, 'Bench Beneficiary ' || i, 'contact', true, false,
               %(company)s, 'bench-' || i, 'en_US', now, now, %(uid)s, %(uid)s
          FROM generate_series(0, %(count)s - 1) AS i,
               (SELECT now() AT TIME ZONE 'UTC' AS now) AS t
        """,
        {"company": company, "uid": uid, "count": count},
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id >= %s", [first_partner])
    # gender by row parity: the men's then the women's section in turn; one
    # in five an iqama (2...), the others a national ID (1...), ten digits
    # (Luhn check digit not computed: the SQL path skips the constraint)
    men, women = sections
    cr.execute(
        """
        INSERT INTO islah_beneficiary (partner_id, company_id, national_id, id_kind, gender,
                                       section, state, registered_on, consent,
                                       create_date, write_date, create_uid, write_uid)
        SELECT p.id, %(company)s,
               CASE WHEN i %% 5 = 0 THEN '2' ELSE '1' END || lpad(i::text, 9, '0'),
               CASE WHEN i %% 5 = 0 THEN 'resident' ELSE 'citizen' END,
               CASE WHEN i %% 2 = 1 THEN 'female' ELSE 'male' END,
               CASE WHEN i %% 2 = 1 THEN %(women)s ELSE %(men)s END,
               'registered', (p.create_date - (i %% 365) * interval '1 day')::date, true,
               p.create_date, p.create_date, %(uid)s, %(uid)s
          FROM res_partner p CROSS JOIN LATERAL (SELECT substring(p.ref FROM 7)::int AS i) AS n
         WHERE p.id >= %(first)s AND p.ref LIKE 'bench-%%'
        """,
        {"company": company, "uid": uid, "first": first_partner, "men": men, "women": women},
    )
    columns = {
        "company_id": str(company),
        "beneficiary_id": "b.id",
        "partner_id": "b.partner_id",
        "section": "b.section",
        "active": "true",
        "declaration_accepted": "true",
        "create_uid": str(uid),
        "write_uid": str(uid),
        **request_sql,
    }
    # no parameters: the expressions may use % (modulo) as they are
    cr.execute(
        f"""
        INSERT INTO islah_support_request ({", ".join(columns)})
        SELECT {", ".join(columns.values())}
          FROM islah_beneficiary b
          JOIN res_partner p ON p.id = b.partner_id
         CROSS JOIN LATERAL (SELECT substring(p.ref FROM 7)::int AS i) AS n
         CROSS JOIN (SELECT now() AT TIME ZONE 'UTC' AS now) AS t
         WHERE p.id >= {int(first_partner)} AND p.ref LIKE 'bench-%'
        """
    )
    cr.execute("ANALYZE res_partner; ANALYZE islah_beneficiary; ANALYZE islah_support_request")
    return time.perf_counter() - started
