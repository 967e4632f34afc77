from lxml import etree

from odoo import models


class IrQweb(models.AbstractModel):
    """Compile a raw QWeb template once per transaction, when asked to.

    Odoo compiles a template given as an etree (not a view) at every render:
    a mail template's body is compiled again for each record it is rendered
    on (``mail.render.mixin._render_template_qweb``). The deadline job
    renders a few templates on hundreds of records per batch; under the
    context key ``danvan_qweb_compile_cache`` the compiled functions are kept
    in the cursor's cache for the transaction, keyed by the template's source
    and the compilation context (language, mail sandbox restriction...).

    Performance (province benchmark, issue #8): on the busiest day (1,900
    reminders) compiling the same templates again took most of the job's time.
    """

    _inherit = "ir.qweb"

    def _compile(self, template):
        if not (
            self.env.context.get("danvan_qweb_compile_cache")
            and isinstance(template, etree._Element)
        ):
            return super()._compile(template)
        cache = self.env.cr.cache.setdefault("danvan_qweb_compiled", {})
        key = (
            etree.tostring(template),
            tuple(self.env.context.get(k) for k in self._get_template_cache_keys()),
        )
        if key not in cache:
            cache[key] = super()._compile(template)
        return cache[key]
