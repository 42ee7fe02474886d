import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .res_partner_debtor import MANAGER_GROUP

# DATEV EXTF format "Debitoren/Kreditoren": data category 16, format version 5,
# header version 700: every data line has every column, in this order (the
# "Leerfeld" columns stay empty).
DATEV_DEBTOR_COLUMNS = [
    "Konto",
    "Name (Adressatentyp Unternehmen)",
    "Unternehmensgegenstand",
    "Name (Adressatentyp natürl. Person)",
    "Vorname (Adressatentyp natürl. Person)",
    "Name (Adressatentyp keine Angabe)",
    "Adressatentyp",
    "Kurzbezeichnung",
    "EU-Land",
    "EU-USt-IdNr.",
    "Anrede",
    "Titel/Akad. Grad",
    "Adelstitel",
    "Namensvorsatz",
    "Adressart",
    "Straße",
    "Postfach",
    "Postleitzahl",
    "Ort",
    "Land",
    "Versandzusatz",
    "Adresszusatz",
    "Abweichende Anrede",
    "Abw. Zustellbezeichnung 1",
    "Abw. Zustellbezeichnung 2",
    "Kennz. Korrespondenzadresse",
    "Adresse gültig von",
    "Adresse gültig bis",
    "Telefon",
    "Bemerkung (Telefon)",
    "Telefon Geschäftsleitung",
    "Bemerkung (Telefon GL)",
    "E-Mail",
    "Bemerkung (E-Mail)",
    "Internet",
    "Bemerkung (Internet)",
    "Fax",
    "Bemerkung (Fax)",
    "Sonstige",
    "Bemerkung (Sonstige)",
    "Bankleitzahl 1",
    "Bankbezeichnung 1",
    "Bankkonto-Nummer 1",
    "Länderkennzeichen 1",
    "IBAN 1",
    "Leerfeld",
    "SWIFT-Code 1",
    "Abw. Kontoinhaber 1",
    "Kennz. Haupt-Bankverb. 1",
    "Bankverb. 1 Gültig von",
    "Bankverb. 1 Gültig bis",
    "Bankleitzahl 2",
    "Bankbezeichnung 2",
    "Bankkonto-Nummer 2",
    "Länderkennzeichen 2",
    "IBAN 2",
    "Leerfeld",
    "SWIFT-Code 2",
    "Abw. Kontoinhaber 2",
    "Kennz. Haupt-Bankverb. 2",
    "Bankverb. 2 gültig von",
    "Bankverb. 2 gültig bis",
    "Bankleitzahl 3",
    "Bankbezeichnung 3",
    "Bankkonto-Nummer 3",
    "Länderkennzeichen 3",
    "IBAN 3",
    "Leerfeld",
    "SWIFT-Code 3",
    "Abw. Kontoinhaber 3",
    "Kennz. Haupt-Bankverb. 3",
    "Bankverb. 3 gültig von",
    "Bankverb. 3 gültig bis",
    "Bankleitzahl 4",
    "Bankbezeichnung 4",
    "Bankkonto-Nummer 4",
    "Länderkennzeichen 4",
    "IBAN 4",
    "Leerfeld",
    "SWIFT-Code 4",
    "Abw. Kontoinhaber 4",
    "Kennz. Haupt-Bankverb. 4",
    "Bankverb. 4 Gültig von",
    "Bankverb. 4 Gültig bis",
    "Bankleitzahl 5",
    "Bankbezeichnung 5",
    "Bankkonto-Nummer 5",
    "Länderkennzeichen 5",
    "IBAN 5",
    "Leerfeld",
    "SWIFT-Code 5",
    "Abw. Kontoinhaber 5",
    "Kennz. Haupt-Bankverb. 5",
    "Bankverb. 5 gültig von",
    "Bankverb. 5 gültig bis",
    "Leerfeld",
    "Briefanrede",
    "Grußformel",
    "Kundennummer",
    "Steuernummer",
    "Sprache",
    "Ansprechpartner",
    "Vertreter",
    "Sachbearbeiter",
    "Diverse-Konto",
    "Ausgabeziel",
    "Währungssteuerung",
    "Kreditlimit (Debitor)",
    "Zahlungsbedingung",
    "Fälligkeit in Tagen (Debitor)",
    "Skonto in Prozent (Debitor)",
    "Kreditoren-Ziel 1 (Tage)",
    "Kreditoren-Skonto 1 (%)",
    "Kreditoren-Ziel 2 (Tage)",
    "Kreditoren-Skonto 2 (%)",
    "Kreditoren-Ziel 3 Brutto (Tage)",
    "Kreditoren-Ziel 4 (Tage)",
    "Kreditoren-Skonto 4 (%)",
    "Kreditoren-Ziel 5 (Tage)",
    "Kreditoren-Skonto 5 (%)",
    "Mahnung",
    "Kontoauszug",
    "Mahntext 1",
    "Mahntext 2",
    "Mahntext 3",
    "Kontoauszugstext",
    "Mahnlimit Betrag",
    "Mahnlimit %",
    "Zinsberechnung",
    "Mahnzinssatz 1",
    "Mahnzinssatz 2",
    "Mahnzinssatz 3",
    "Lastschrift",
    "Verfahren",
    "Mandantenbank",
    "Zahlungsträger",
    "Indiv. Feld 1",
    "Indiv. Feld 2",
    "Indiv. Feld 3",
    "Indiv. Feld 4",
    "Indiv. Feld 5",
    "Indiv. Feld 6",
    "Indiv. Feld 7",
    "Indiv. Feld 8",
    "Indiv. Feld 9",
    "Indiv. Feld 10",
    "Indiv. Feld 11",
    "Indiv. Feld 12",
    "Indiv. Feld 13",
    "Indiv. Feld 14",
    "Indiv. Feld 15",
    "Abweichende Anrede (Rechnungsadresse)",
    "Adressart (Rechnungsadresse)",
    "Straße (Rechnungsadresse)",
    "Postfach (Rechnungsadresse)",
    "Postleitzahl (Rechnungsadresse)",
    "Ort (Rechnungsadresse)",
    "Land (Rechnungsadresse)",
    "Versandzusatz (Rechnungsadresse)",
    "Adresszusatz (Rechnungsadresse)",
    "Abw. Zustellbezeichnung 1 (Rechnungsadresse)",
    "Abw. Zustellbezeichnung 2 (Rechnungsadresse)",
    "Adresse Gültig von (Rechnungsadresse)",
    "Adresse Gültig bis (Rechnungsadresse)",
    "Bankleitzahl 6",
    "Bankbezeichnung 6",
    "Bankkonto-Nummer 6",
    "Länderkennzeichen 6",
    "IBAN 6",
    "Leerfeld",
    "SWIFT-Code 6",
    "Abw. Kontoinhaber 6",
    "Kennz. Haupt-Bankverb. 6",
    "Bankverb 6 gültig von",
    "Bankverb 6 gültig bis",
    "Bankleitzahl 7",
    "Bankbezeichnung 7",
    "Bankkonto-Nummer 7",
    "Länderkennzeichen 7",
    "IBAN 7",
    "Leerfeld",
    "SWIFT-Code 7",
    "Abw. Kontoinhaber 7",
    "Kennz. Haupt-Bankverb. 7",
    "Bankverb 7 gültig von",
    "Bankverb 7 gültig bis",
    "Bankleitzahl 8",
    "Bankbezeichnung 8",
    "Bankkonto-Nummer 8",
    "Länderkennzeichen 8",
    "IBAN 8",
    "Leerfeld",
    "SWIFT-Code 8",
    "Abw. Kontoinhaber 8",
    "Kennz. Haupt-Bankverb. 8",
    "Bankverb 8 gültig von",
    "Bankverb 8 gültig bis",
    "Bankleitzahl 9",
    "Bankbezeichnung 9",
    "Bankkonto-Nummer 9",
    "Länderkennzeichen 9",
    "IBAN 9",
    "Leerfeld",
    "SWIFT-Code 9",
    "Abw. Kontoinhaber 9",
    "Kennz. Haupt-Bankverb. 9",
    "Bankverb 9 gültig von",
    "Bankverb 9 gültig bis",
    "Bankleitzahl 10",
    "Bankbezeichnung 10",
    "Bankkonto-Nummer 10",
    "Länderkennzeichen 10",
    "IBAN 10",
    "Leerfeld",
    "SWIFT-Code 10",
    "Abw. Kontoinhaber 10",
    "Kennz. Haupt-Bankverb. 10",
    "Bankverb 10 gültig von",
    "Bankverb 10 gültig bis",
    "Nummer Fremdsystem",
    "Insolvent",
    "SEPA-Mandatsreferenz 1",
    "SEPA-Mandatsreferenz 2",
    "SEPA-Mandatsreferenz 3",
    "SEPA-Mandatsreferenz 4",
    "SEPA-Mandatsreferenz 5",
    "SEPA-Mandatsreferenz 6",
    "SEPA-Mandatsreferenz 7",
    "SEPA-Mandatsreferenz 8",
    "SEPA-Mandatsreferenz 9",
    "SEPA-Mandatsreferenz 10",
    "Verknüpftes OPOS-Konto",
    "Mahnsperre bis",
    "Lastschriftsperre bis",
    "Zahlungssperre bis",
    "Gebührenberechnung",
    "Mahngebühr 1",
    "Mahngebühr 2",
    "Mahngebühr 3",
    "Pauschalberechnung",
    "Verzugspauschale 1",
    "Verzugspauschale 2",
    "Verzugspauschale 3",
    "Alternativer Suchname",
    "Status",
    "Anschrift manuell geändert (Korrespondenzadresse)",
    "Anschrift individuell (Korrespondenzadresse)",
    "Anschrift manuell geändert (Rechnungsadresse)",
    "Anschrift individuell (Rechnungsadresse)",
    "Fristberechnung bei Debitor",
    "Mahnfrist 1",
    "Mahnfrist 2",
    "Mahnfrist 3",
    "Letzte Frist",
]
COLUMN_INDEX = {name: index for index, name in reversed(list(enumerate(DATEV_DEBTOR_COLUMNS)))}
# VAT IDs of these countries are split into "EU-Land" and "EU-USt-IdNr." (Greece: EL)
EU_VAT_PREFIXES = set("AT BE BG CY CZ DE DK EE EL ES FI FR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI".split())
# the longest text DATEV takes in a column; longer values are cut
MAX_LENGTHS = {
    "Name (Adressatentyp Unternehmen)": 50,
    "Name (Adressatentyp natürl. Person)": 30,
    "Vorname (Adressatentyp natürl. Person)": 30,
    "Name (Adressatentyp keine Angabe)": 50,
    "Kurzbezeichnung": 15,
    "EU-USt-IdNr.": 13,
    "Straße": 36,
    "Postleitzahl": 10,
    "Ort": 30,
    "Adresszusatz": 36,
    "Telefon": 60,
    "E-Mail": 60,
    "Internet": 60,
    "Bankbezeichnung 1": 30,
    "IBAN 1": 34,
    "SWIFT-Code 1": 11,
    "Abw. Kontoinhaber 1": 70,
}


class ResPartner(models.Model):
    """DATEV master data ("Debitoren/Kreditoren") of numbered customers."""

    _inherit = "res.partner"

    def datev_debtor_export(self):
        """The DATEV EXTF file of the numbered customers among the commercial
        partners of ``self``: ``{"filename", "content": bytes, "exported",
        "skipped"}`` (``skipped``: customers without a number, left out).
        Managers only; refused when the company's DATEV numbers are missing or
        a number is no DATEV debtor account."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only customer file managers can export customers to DATEV."))
        company = self.env.company
        company._customer_crm_check_datev_settings()
        customers = self.commercial_partner_id
        numbered = customers.filtered("debtor_number").sorted("debtor_number")
        if not numbered:
            raise UserError(self.env._("None of the selected customers has a debtor number yet: nothing to export."))
        numbered._customer_crm_check_datev_accounts(company)
        lines = [self._customer_crm_datev_header(company), _datev_line(DATEV_DEBTOR_COLUMNS)]
        lines += [_datev_line(partner._customer_crm_datev_row()) for partner in numbered]
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        return {
            "filename": f"EXTF_Debitoren_Kreditoren_{now:%Y%m%d_%H%M%S}.csv",
            "content": ("\r\n".join(lines) + "\r\n").encode("cp1252", errors="replace"),
            "exported": len(numbered),
            "skipped": len(customers) - len(numbered),
        }

    def action_datev_export(self):
        """Download the DATEV file of the selected customers (list action)."""
        export = self.datev_debtor_export()
        attachment = self.env["ir.attachment"].create(
            {"name": export["filename"], "raw": export["content"], "mimetype": "text/csv"}
        )
        download = {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "download",
        }
        if not export["skipped"]:
            return download
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "title": self.env._("DATEV export"),
                "message": self.env._(
                    "%(exported)s customers exported; %(skipped)s customers without a debtor number left out.",
                    exported=export["exported"],
                    skipped=export["skipped"],
                ),
                "next": download,
            },
        }

    @api.model
    def action_datev_export_all(self):
        """Download the DATEV file of all numbered customers of the company."""
        customers = self.search(
            [("debtor_number", "!=", False), ("company_id", "in", [self.env.company.id, False])], order="debtor_number"
        )
        return customers.action_datev_export()

    def _customer_crm_check_datev_accounts(self, company):
        length = company.datev_account_length
        first, last = 10**length, 7 * 10**length - 1
        wrong = self.filtered(lambda p: not (p.debtor_number.isdigit() and first <= int(p.debtor_number) <= last))
        if wrong:
            raise UserError(
                self.env._(
                    "The debtor numbers of %(customers)s are no DATEV debtor accounts: with account length "
                    "%(length)s these are numbers from %(first)s to %(last)s. Renumber the customers or change "
                    "the account length in Settings > Invoicing > Debtor Numbers.",
                    customers=", ".join(f"{p.display_name} ({p.debtor_number})" for p in wrong[:20]),
                    length=length,
                    first=first,
                    last=last,
                )
            )

    @api.model
    def _customer_crm_datev_header(self, company):
        """Line 1 of the file: DATEV's 31 header fields."""
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        fiscal_year = company.compute_fiscalyear_dates(now.date())
        chart = company.chart_template or ""
        header = [
            _text("EXTF"),
            "700",  # header version
            "16",  # data category: Debitoren/Kreditoren
            _text("Debitoren/Kreditoren"),
            "5",  # format version
            now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}",
            "",  # imported (DATEV)
            _text("OD"),  # origin
            _text(self.env.user.name[:25]),  # exported by
            "",  # imported by (DATEV)
            company.datev_consultant_number,
            company.datev_client_number,
            fiscal_year["date_from"].strftime("%Y%m%d"),
            str(company.datev_account_length),
            *[""] * 12,  # 15-26: batch dates, text, dictation, booking type, purpose,
            # locking, currency, reserved, derivative flag, reserved, reserved
            _text("03" if "skr03" in chart else "04" if "skr04" in chart else ""),  # 27 chart of accounts
            "",  # 28 industry solution
            "",  # 29 reserved
            "",  # 30 reserved
            "",  # 31 application information
        ]
        return ";".join(header)

    def _customer_crm_datev_row(self):
        """The columns of one customer, every column of the format."""
        self.ensure_one()
        values = dict(self._customer_crm_datev_name(), **self._customer_crm_datev_address())
        values.update(self._customer_crm_datev_bank())
        values["Konto"] = int(self.debtor_number)
        values["Kurzbezeichnung"] = self.short_name or ""
        vat = (self.vat or "").replace(" ", "").upper()
        if vat[:2] in EU_VAT_PREFIXES:
            values["EU-Land"], values["EU-USt-IdNr."] = vat[:2], vat[2:]
        values["Telefon"] = self.phone or ""
        values["E-Mail"] = self.email or ""
        values["Internet"] = self.website or ""
        term = self.property_payment_term_id
        if term:
            values["Fälligkeit in Tagen (Debitor)"] = max(term.line_ids.mapped("nb_days") or [0])
            if term.early_discount:
                values["Skonto in Prozent (Debitor)"] = term.discount_percentage
        row = [""] * len(DATEV_DEBTOR_COLUMNS)
        for column, value in values.items():
            row[COLUMN_INDEX[column]] = _datev_value(value, MAX_LENGTHS.get(column, 60))
        return row

    def _customer_crm_datev_name(self):
        """Addressee type and name: companies type 2; individuals type 1 with
        first name and name when the name is two words, else type 0."""
        name = " ".join((self.name or "").split())
        if self.is_company:
            return {"Adressatentyp": 2, "Name (Adressatentyp Unternehmen)": name}
        words = name.split(" ")
        if len(words) == 2 and all(re.fullmatch(r"[^\W\d_][\w'.-]*", word) for word in words):
            return {
                "Adressatentyp": 1,
                "Vorname (Adressatentyp natürl. Person)": words[0],
                "Name (Adressatentyp natürl. Person)": words[1],
            }
        return {"Adressatentyp": 0, "Name (Adressatentyp keine Angabe)": name}

    def _customer_crm_datev_address(self):
        if not (self.street or self.zip or self.city):
            return {}
        return {
            "Adressart": "STR",
            "Straße": self.street or "",
            "Adresszusatz": self.street2 or "",
            "Postleitzahl": self.zip or "",
            "Ort": self.city or "",
            "Land": self.country_id.code or "",
        }

    def _customer_crm_datev_bank(self):
        bank = self.bank_ids[:1]
        if not bank:
            return {}
        number = bank.sanitized_acc_number.upper()
        # an IBAN also without base_iban (which would set acc_type)
        iban = number if bank.acc_type == "iban" or re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", number) else ""
        values = {
            "Bankbezeichnung 1": bank.bank_id.name or "",
            "SWIFT-Code 1": bank.bank_id.bic or "",
            "Kennz. Haupt-Bankverb. 1": "1",
        }
        if iban:
            values["IBAN 1"] = iban
            values["Länderkennzeichen 1"] = iban[:2]
        else:
            values["Bankkonto-Nummer 1"] = bank.acc_number
        if bank.acc_holder_name and bank.acc_holder_name != self.name:
            values["Abw. Kontoinhaber 1"] = bank.acc_holder_name
        return values


def _text(value):
    """A DATEV text field: in double quotes, inner quotes doubled."""
    return '"{}"'.format(value.replace('"', '""'))


def _datev_value(value, max_length):
    """A value as DATEV reads it: text quoted and cut, decimal comma."""
    if isinstance(value, str):
        return _text(value[:max_length]) if value else ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


def _datev_line(values):
    return ";".join(values)
