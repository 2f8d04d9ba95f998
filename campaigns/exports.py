"""xlsx exports for the office: the ledger in seed 004's layout and the monthly summary (issue 7)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from django.utils.translation import gettext as _

from credit_portal.spreadsheets import xlsx_row

from .selectors import MonthlySummary


def _append(sheet, row) -> None:
    """Every row through the formula guard: task texts and report texts are typed by people (issue 9 §5)."""
    sheet.append(xlsx_row(sheet, row))


def _finish(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger_xlsx(tasks) -> bytes:
    """政务诚信体系建设工作台账: 措施任务 | 序号 | 工作任务 | 责任部门, then deadline, status and the latest report."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("工作台账")
    _append(sheet, [_("政务诚信体系建设工作台账")])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=7)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    header = [_("措施任务"), _("序号"), _("工作任务"), _("责任部门"), _("完成时限"), _("状态"), _("是否逾期")]
    _append(sheet, header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for task in tasks:
        _append(
            sheet,
            [
                task.section,
                task.number,
                task.description,
                task.responsible_text,
                task.deadline_display,
                task.get_status_display(),
                _("是") if task.is_overdue else _("否"),
            ],
        )
    for column, width in zip("ABCDEFG", (22, 6, 70, 36, 12, 10, 8), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return _finish(workbook)


def summary_xlsx(summary: MonthlySummary) -> bytes:
    """The civilisation office's monthly summary: figures on the first sheet, missing reports on the second."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("月度汇总")
    _append(sheet, [_("诚信建设月度汇总"), f"{summary.period:%Y-%m}"])
    rows = [
        (_("应报专项治理进展（单位·项）"), summary.reports_expected),
        (_("已报"), summary.reports_received),
        (_("未报"), len(summary.missing)),
        (_("逾期台账任务"), len(summary.tasks_overdue)),
        (_("本月收到投诉"), summary.complaints_received),
        (_("本月办结投诉"), summary.complaints_answered),
        (_("其中按期办结"), summary.complaints_answered_in_time),
        (_("超期未办结投诉"), summary.complaints_overdue),
    ]
    for row in rows:
        _append(sheet, list(row))
    missing = workbook.create_sheet(_("未报送单位"))
    _append(missing, [_("单位"), _("专项治理序号"), _("专项治理名称"), _("职责")])
    for row in summary.missing:
        _append(missing, [row.department.name, row.action.number, row.action.title, row.get_role_display()])
    overdue = workbook.create_sheet(_("逾期任务"))
    _append(overdue, [_("序号"), _("工作任务"), _("责任部门"), _("完成时限")])
    for task in summary.tasks_overdue:
        _append(overdue, [task.number, task.description, task.responsible_text, task.deadline_display])
    return _finish(workbook)
