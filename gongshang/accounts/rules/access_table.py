"""The matrix as a table for people: the security administrator's page and docs/access.md.

Pure: reads accounts/rules/access.py only. `manage.py access_matrix` prints `markdown()`; a test
fails when docs/access.md differs from it, so the document cannot drift from the code.
"""

from .access import ACTION_LABELS, AUDIENCES, KIND_LABELS, MATRIX, ROLES, WHO_LABELS

COLUMNS = AUDIENCES + ROLES

HEADER = """# 权限矩阵（谁可以做什么）

本文件由 `python manage.py access_matrix > docs/access.md` 从 `gongshang/accounts/rules/access.py`
生成，请勿手工修改；矩阵变了而本文件未重新生成时，测试会失败。

## 范围规则

- **经办人员**只处理本人所属统筹区的记录：每个模型用 `access = Scope(...)` 声明一次自己的范围
  （`staff=in_region("region")` 等）；矩阵再决定哪些角色可以做哪个动作。
- **个人、单位、定点机构**只看到属于自己的记录：个人为实名绑定的参保人本人的，单位为本单位的，
  定点机构为本机构的；“自己的”由模型的范围规则（`of_person`、`of_employer`、`of_user`）决定。
- 系统管理员、安全管理员、审计管理员（三权分立）不接触案件、人员和资金数据，只管理各自的平台事务。
  无统筹区的平台级记录（未知账户的登录失败、登录验证码短信）只由本平台所在统筹区
  （`DEFAULT_POOLING_REGION`）的审计管理员、系统管理员查看。

## 404 与 403

- 记录不在本人范围内（其他统筹区、其他单位、其他人），或外部账户根本无权查看这一类记录：**404**，
  不透露记录是否存在。
- 记录在范围内，但角色没有这个动作（例如同一统筹区的热线坐席打开认定案件），或记录当前的状态、
  条件不允许（例如申请人只是被告知的一方）：**403**；状态已被他人改变时，办理动作答 **409**。
- 读取一律经过 `restrict(actor, 查询集, 动作)` 和 `get_for(actor, 模型, 编号, 动作)`。

## 新增一类对象或一个动作

1. 在 `gongshang/accounts/rules/access.py` 的 `_MATRIX` 中加入对象类别及其动作，写明哪些对象
   （IND/EMP/INST）和哪些经办角色可以办理；新动作名在 `ACTION_LABELS` 末尾补中文名，新类别在
   `KIND_LABELS` 补中文名。案件数据类别加入 `CASE_DATA_KINDS`（三类管理员不得出现在其中）。
2. 模型声明 `access = Scope(kind=..., staff=..., employer=..., individual=...)`；有状态流转的，
   在本应用 `rules/` 写流转表 `Workflow(...)`（动作名即矩阵动作名），模型声明 `workflow = ...`，
   状态只经 `core.workflow.transition` 改变。
3. 每个页面视图加 `@permit(类别, 动作)` 或 `@public`；每个接口函数在 `@router.get/post(...)` 之下加
   `@api_permit(类别, 动作)` 或 `@public`。未加标记的入口会使“网址 × 角色”测试失败。
4. 重新生成本文件：`python manage.py access_matrix > docs/access.md`。

## 矩阵

✓ 表示可以办理（外部对象限于自己的记录，经办角色限于本统筹区）。
"""


def rows() -> list[dict]:
    """One row per kind · action: labels and the set of columns that may take it."""
    result = []
    for kind, actions in MATRIX.items():
        for action, who in actions.items():
            result.append({"kind": kind, "kind_label": KIND_LABELS[kind], "action": action,
                           "action_label": ACTION_LABELS[action],
                           "cells": [column in who for column in COLUMNS]})
    return result


def column_labels() -> list[str]:
    return [WHO_LABELS[column] for column in COLUMNS]


def markdown() -> str:
    lines = [HEADER, "| 对象 | 动作 | " + " | ".join(column_labels()) + " |",
             "|---|---|" + "---|" * len(COLUMNS)]
    for row in rows():
        cells = " | ".join("✓" if cell else "" for cell in row["cells"])
        lines.append(f"| {row['kind_label']} | {row['action_label']} | {cells} |")
    return "\n".join(lines) + "\n"
