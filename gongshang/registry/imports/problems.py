"""Whole-file problems of an uploaded roster sheet.

A SheetProblem refuses the file as a whole; `message` tells the handler what to do. Uploads answer
with `code` and `status` (the API and the upload form); a queued import ends `rejected` with the
message.
"""

from gongshang.registry.errors import RegistryErrorCode

NOT_A_WORKBOOK = ("无法读取该文件：它不是有效的 Excel 工作簿（.xlsx），可能已损坏或只是改了扩展名。"
                  "请使用下载的模板填写后上传。")


class SheetProblem(Exception):
    """The file as a whole cannot be imported."""

    code = RegistryErrorCode.IMPORT_FILE_INVALID
    status = 400

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.message = message
        self.row = row


class SheetTooLarge(SheetProblem):
    """More rows, columns, text or uncompressed bytes than an import may hold."""

    code = RegistryErrorCode.SHEET_TOO_LARGE
    status = 422


class CellTooLong(SheetProblem):
    """A cell longer than Excel's own limit of 32,767 characters."""

    code = RegistryErrorCode.CELL_TOO_LONG
    status = 422
