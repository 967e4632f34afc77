from odoo.addons.web.controllers.export import (
    ExcelExport,
    ExportXlsxWriter,
    GroupExportXlsxWriter,
)


class TextSafeWriterMixin:
    """Write exported texts as texts.

    xlsxwriter's ``write`` turns a string starting with "=" into a live
    formula, so a unit could plant ``=HYPERLINK(...)`` in a report or a
    model name and have it run in the officer's spreadsheet. Exported values
    are data: strings are written with ``write_string``.
    """

    def write(self, row, column, cell_value, style=None):
        if isinstance(cell_value, str):
            return self.worksheet.write_string(row, column, cell_value, style)
        return super().write(row, column, cell_value, style)


class TextSafeExportXlsxWriter(TextSafeWriterMixin, ExportXlsxWriter):
    pass


class TextSafeGroupExportXlsxWriter(TextSafeWriterMixin, GroupExportXlsxWriter):
    pass


class DanvanExcelExport(ExcelExport):
    """The list view's XLSX export, with texts kept as texts."""

    def from_group_data(self, fields, columns_headers, groups):
        with TextSafeGroupExportXlsxWriter(
            fields, columns_headers, groups.count
        ) as xlsx_writer:
            x, y = 1, 0
            for group_name, group in groups.children.items():
                x, y = xlsx_writer.write_group(x, y, group_name, group)
        return xlsx_writer.value

    def from_data(self, fields, columns_headers, rows):
        with TextSafeExportXlsxWriter(
            fields, columns_headers, len(rows)
        ) as xlsx_writer:
            for row_index, row in enumerate(rows):
                for cell_index, cell_value in enumerate(row):
                    xlsx_writer.write_cell(row_index + 1, cell_index, cell_value)
        return xlsx_writer.value
