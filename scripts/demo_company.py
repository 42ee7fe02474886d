"""Make the demo database's company a German one; run by scripts/demo in
``odoo-bin shell`` (which provides ``env``) before customer_crm is installed.

Its name and address, EUR, Odoo's German chart of accounts (SKR03, from
l10n_de: loading it removes the accounting of Odoo's own demo data, which
was made for the American chart), prices in EUR, and German for the
administrator and the company.
"""

env = globals()["env"]  # given by odoo-bin shell
company = env.ref("base.main_company")
germany = env.ref("base.de")
company.write(
    {
        "name": "Muster Haustechnik GmbH",
        "street": "Musterstraße 1",
        "zip": "97070",
        "city": "Würzburg",
        "country_id": germany.id,
        "phone": "+49 931 123450",
        "email": "info@muster-haustechnik.example",
        "website": "https://muster-haustechnik.example",
    }
)
env["account.chart.template"].try_loading("de_skr03", company, install_demo=False)
euro = env.ref("base.EUR")
assert company.currency_id == euro, f"the company's currency is {company.currency_id.name}, not EUR"
env["product.pricelist"].with_context(active_test=False).search(
    [("company_id", "in", [company.id, False])]
).currency_id = euro
env["res.lang"]._activate_lang("de_DE")
(env.ref("base.user_admin").partner_id | company.partner_id).lang = "de_DE"
env.cr.commit()
print(f"==> {company.name}: {company.currency_id.name}, chart {company.chart_template}")
