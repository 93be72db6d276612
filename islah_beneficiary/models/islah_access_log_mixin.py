from odoo import api, models
from odoo.http import request
from odoo.service.server import thread_local

# exported columns that identify a person: a path counts when one of its
# steps is a national ID, or when it is one of these fields (or their name)
IDENTIFIER_FIELDS = frozenset(
    {
        "name",
        "display_name",
        "national_id",
        "islah_national_id",
        "partner_id",
        "partner_name",
        "contact_name",
        "beneficiary_id",
    }
)

# the RPC methods that group records (they all end in _read_group)
GROUPING_METHODS = frozenset(
    {"read_group", "formatted_read_group", "web_read_group", "formatted_read_grouping_sets"}
)


class IslahAccessLoggedMixin(models.AbstractModel):
    """Logs, in ``islah.access.log``, the web client's reads of the fields
    listed in ``_islah_logged_fields`` and every export (``export_data``).

    Only the entry points are logged, never Odoo's own internal reads:
    ``web_read`` (the form, ``web_save`` and list views go through it) and
    ``export_data`` are called by the web client only; ``read`` is logged
    when it is the method the current RPC request called on this model
    (``/web/dataset/call_kw``, XML-RPC, JSON-2), so internal ``read`` calls
    made while serving another request are not. One log line per call."""

    _name = "islah.access.logged.mixin"
    _description = "Logged access to sensitive fields"

    # sensitive fields whose reads from the web client are logged
    _islah_logged_fields = ()

    def _islah_log_sensitive_read(self, values_list):
        """One log line for the sensitive fields present in the values
        returned (fields the user may not read are absent)."""
        if not self._islah_logged_fields or not values_list:
            return
        names = [name for name in self._islah_logged_fields if name in values_list[0]]
        if names:
            self.env["islah.access.log"]._islah_log("read", self, field_names=names)

    def _islah_is_rpc_call(self, method):
        """Whether the current HTTP request is an RPC call of ``method`` on
        this model (not an internal call made while serving something else)."""
        return self._islah_rpc_method() == method

    def _islah_rpc_method(self):
        """The method the current RPC request called on this model, or None."""
        # XML-RPC and the web client's call_kw name the call here (Odoo sets
        # it for its request log, and resets it at each HTTP request)
        model, _dot, method = getattr(thread_local, "rpc_model_method", "").rpartition(".")
        if model == self._name:
            return method
        # the web client's call_kw and JSON-2 (rpc module): the route's params
        params = getattr(request, "params", None) if request else None
        if not params:
            return None
        if (params.get("model") or params.get("__model__")) == self._name:
            return params.get("method") or params.get("__method__")
        return None

    def web_read(self, specification):
        values_list = super().web_read(specification)
        if set(specification).intersection(self._islah_logged_fields):
            self._islah_log_sensitive_read(values_list)
        return values_list

    # web_read is readonly in Odoo (a replica cursor may serve it); logging
    # writes, so the call needs the primary database
    web_read._readonly = False

    @api.model
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # list views read through web_read (logged): same reason as above
        return super().web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit
        )

    web_search_read._readonly = False

    @api.model
    def search_read(self, domain=None, fields=None, offset=0, limit=None, order=None, **kwargs):
        # Odoo's search_read does not go through read: log it the same way
        result = super().search_read(domain, fields, offset, limit, order, **kwargs)
        if self._islah_logged_fields and result and self._islah_is_rpc_call("search_read"):
            self.browse([row["id"] for row in result])._islah_log_sensitive_read(result)
        return result

    search_read._readonly = False

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        # grouping by a sensitive field lists its values (every national ID):
        # a read of it, when it is what the RPC call asked (any grouping API)
        result = super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        if self._islah_logged_fields and self._islah_rpc_method() in GROUPING_METHODS:
            specs = [spec.split(":")[0].split(".")[0] for spec in (*groupby, *aggregates)]
            if names := [name for name in self._islah_logged_fields if name in specs]:
                self.env["islah.access.log"]._islah_log(
                    "read", self._name, field_names=names, row_count=len(result)
                )
        return result

    def read(self, fields=None, load="_classic_read"):
        result = super().read(fields, load=load)
        if self._islah_logged_fields and self._islah_is_rpc_call("read"):
            self._islah_log_sensitive_read(result)
        return result

    read._readonly = False

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self.env["islah.access.log"]._islah_log(
            "export",
            self,
            field_names=list(fields_to_export),
            row_count=len(result.get("datas", [])),
            with_identifiers=any(self._islah_is_identifier_path(path) for path in fields_to_export),
        )
        return result

    @staticmethod
    def _islah_is_identifier_path(path):
        steps = path.replace(".id", "id").split("/")
        if "national_id" in steps or "islah_national_id" in steps:
            return True
        if len(steps) > 1 and steps[-1] in ("name", "display_name"):
            steps = steps[:-1]
        return len(steps) == 1 and steps[0] in IDENTIFIER_FIELDS
