"""18.0.1.1.0: move the entries of customer_crm.erasure.log into privacy.log.

The old entries hold no name or e-mail address of the erased customer (by
design), while privacy.log requires both: they get a placeholder naming the
customer's former database ID.  Who, when, the result and the details move
with them.
"""

from odoo.tools import sql


def migrate(cr, version):
    if not version or not sql.table_exists(cr, "customer_crm_erasure_log_moved"):
        return
    cr.execute(
        """
        INSERT INTO privacy_log (date, anonymized_name, anonymized_email, user_id, execution_details,
                                 records_description, additional_note, create_uid, create_date, write_uid, write_date)
        SELECT log.create_date,
               'Customer #' || log.partner_ref,
               'customer-' || log.partner_ref || '@no-email.invalid',
               COALESCE(log.user_id, log.create_uid, 1),
               log.details,
               NULL,
               concat_ws(E'\n', 'customer_crm: ' || log.result, 'Debtor number: ' || log.debtor_number, log.reason),
               log.create_uid, log.create_date, log.write_uid, log.write_date
          FROM customer_crm_erasure_log_moved log
         ORDER BY log.id
        """
    )
    cr.execute("DROP TABLE customer_crm_erasure_log_moved")
