"""The menu each account sees, computed from the access matrix (accounts/rules/access.py).

Each entry is (label, url name, url kwargs, kind, action): it is shown when the matrix lets the
account take `action` on `kind` (`may`), so a menu never offers a page its role is refused, and a
role sees the entries of its own work. The lists per audience only set the order and which pages
belong to which portal (the employer's 证明打印 and the 受理员's are the same page). An entry with
kind None is open to everyone of that audience (the benefit calculator).
"""

from django.urls import NoReverseMatch, reverse

from gongshang.accounts.access import may
from gongshang.accounts.choices import Audience

MENUS = {
    Audience.INDIVIDUAL: [
        ("首页", "web:individual_home", None, "home", "individual"),
        ("工伤快报", "quickreports:start", None, "quick_report", "create"),
        ("工伤快报补充信息", "quickreports:supplement_start", None, "quick_report", "supplement"),
        ("工伤认定申请", "recognition:my_list", None, "recognition_application", "create"),
        ("劳动能力鉴定", "appraisal:my_list", None, "appraisal_application", "create"),
        ("我的待遇", "benefits:my_statements", None, "entitlement", "view"),
        ("待遇计算器", "benefits:calculator", None, None, None),
        ("我的留言", "service:my_messages", None, "case_message", "send"),
        ("服务评价", "service:my_ratings", None, "service_rating", "create"),
        ("待遇资格认证", "integrations:my_certification", None, "benefit_certification", "certify"),
        ("实名绑定", "accounts:bind_person", None, "own_account", "bind_person"),
    ],
    Audience.EMPLOYER: [
        ("首页", "web:employer_home", None, "home", "employer"),
        ("单位综合查询", "registry:employer_overview", None, "employer", "view"),
        ("员工花名册", "registry:roster", None, "enrolment", "view"),
        ("个人综合查询", "registry:person_search", None, "person", "search"),
        ("增减员申报", "registry:change_list", None, "enrolment_change", "create"),
        ("批量报盘", "registry:import_list", None, "roster_import", "create"),
        ("证明打印", "registry:certificates", None, "certificate", "issue_employer"),
        ("工伤快报", "quickreports:start", None, "quick_report", "create"),
        ("工伤快报补充信息", "quickreports:supplement_start", None, "quick_report", "supplement"),
        ("工伤认定申请", "recognition:my_list", None, "recognition_application", "create"),
        ("劳动能力鉴定", "appraisal:my_list", None, "appraisal_application", "create"),
        ("我的留言", "service:my_messages", None, "case_message", "send"),
        ("服务评价", "service:my_ratings", None, "service_rating", "create"),
        ("经办人管理", "accounts:employer_handlers", None, "employer_handler", "view"),
    ],
    # 定点机构 portal: its agreement, the catalogues, its monthly statements, the audit notices.
    Audience.INSTITUTION: [
        ("首页", "medical:portal_home", None, "home", "institution"),
        ("本机构信息", "medical:portal_institution", None, "medical_institution", "view"),
        ("工伤医疗目录", "medical:catalogue_list", None, "medical_catalogue", "view"),
        ("结算单", "medical:my_statements", None, "medical_statement", "view"),
        ("稽核通知", "medical:my_audit_notices", None, "medical_audit_visit", "view"),
        ("协助资格认证", "integrations:institution_certify", None, "benefit_certification", "confirm"),
    ],
    Audience.STAFF: [
        ("工作台", "web:staff_home", None, "home", "staff"),
        # 受理员 / 调查员: the quick-report inbox.
        ("快报收件箱", "quickreports:inbox", None, "quick_report", "receive"),
        # The recognition desk: 受理员 allocates, 调查员 investigates, 审核员 decides.
        ("认定待分配", "recognition:staff_unallocated", None, "recognition_application", "allocate"),
        ("我的认定案件", "recognition:staff_mine", None, "recognition_application", "queue"),
        ("全部在办认定", "recognition:staff_queue", {"view": "open"}, "recognition_application", "queue"),
        ("认定超期", "recognition:staff_overdue", None, "recognition_application", "queue"),
        ("超过申请时限待处理", "recognition:staff_queue", {"view": "expired"}, "recognition_application",
         "period_extension"),
        # 鉴定管理员: the appraisal applications, by due date.
        ("鉴定申请队列", "appraisal:staff_queue", None, "appraisal_application", "queue"),
        # 受理员: the roster desk.
        ("增减员确认", "registry:staff_changes", None, "enrolment_change", "confirm"),
        ("参保单位核验", "registry:staff_employers", None, "employer", "verify"),
        ("参保证明打印", "registry:certificates", None, "certificate", "issue_person"),
        # 鉴定管理员: batches, exam day, the expert pool; 鉴定专家: the applications of their panels.
        ("鉴定批次", "appraisal:batch_list", None, "appraisal_batch", "create"),
        ("鉴定专家库", "appraisal:expert_list", None, "appraisal_expert", "view"),
        ("我的鉴定", "appraisal:my_panels", None, "appraisal_application", "opinion"),
        # 鉴定管理员: 鉴定结论公示 (publishing a batch, objections).
        ("鉴定结论公示", "appraisal:publications_staff", None, "appraisal_publication", "view"),
        # 稽核员: 协议机构, catalogues, regional parameters of 工伤医疗.
        ("协议机构", "medical:institution_list", None, "medical_institution", "manage"),
        ("工伤医疗目录", "medical:catalogue_list", None, "medical_catalogue", "import"),
        ("目录导入", "medical:catalogue_imports", None, "medical_catalogue", "import"),
        ("工伤医疗参数", "medical:settings", None, "medical_setting", "view"),
        # 稽核员: 异地就医备案 and 辅助器具/康复 of the region.
        ("异地就医备案", "medical:remote_list", None, "remote_registration", "queue"),
        ("辅助器具与康复", "medical:referral_list", None, "medical_referral", "create"),
        # 待遇审核员.
        ("工伤待遇", "benefits:entitlement_list", None, "entitlement", "create"),
        ("月度发放", "benefits:payroll_list", None, "payroll_run", "view"),
        ("待遇补扣", "benefits:adjustment_list", None, "adjustment", "view"),
        ("待遇参数", "benefits:parameter_list", None, "parameter", "view"),
        # 稽核员: the medical review desk, the monthly statements, the outlier dashboard.
        ("费用审核", "medical:review_queue", None, "medical_encounter", "queue"),
        ("机构月度结算", "medical:statement_list", None, "medical_statement", "compute"),
        ("异常指标", "medical:outliers", None, "medical_encounter", "analyse"),
        # 稽核员: on-site audits (现场稽核) and the tablet's task list of one's team.
        ("现场稽核", "medical:audit_campaigns", None, "medical_audit_campaign", "view"),
        ("我的稽核任务", "medical:my_audit_visits", None, "medical_audit_visit", "record"),
        # 综合窗口: one counter for every matter (三事合一); the back office's follow-on matters.
        ("综合窗口受理", "service:window_desk", None, "window_request", "create"),
        ("后续事项", "service:window_queue", None, "window_request", "queue"),
        # 热线坐席: the agent's screen, the tickets, the knowledge base; desks see what was transferred.
        ("坐席工作台", "service:agent_desk", None, "service_ticket", "create"),
        ("12333 工单", "service:ticket_list", None, "service_ticket", "queue"),
        ("热线知识库", "service:knowledge_list", None, "knowledge_article", "view"),
        ("案件留言", "service:message_inbox", None, "case_message", "view"),
        ("差评整改", "service:rating_followups", None, "service_rating", "follow_up"),
        ("好差评统计", "service:rating_report", None, "service_rating", "statistics"),
        ("服务参数", "service:settings", None, "service_setting", "view"),
        # 工伤预防专管员 (and 合作经办 for sessions).
        ("工伤预防计划", "service:prevention_plans", None, "prevention_plan", "view"),
        ("工伤预防项目", "service:prevention_projects", None, "prevention_project", "view"),
        ("师资库与课程", "service:trainer_list", None, "prevention_trainer", "view"),
        ("培训班次", "service:session_list", None, "training_session", "view"),
        ("工伤预防统计", "service:prevention_report", None, "prevention_plan", "statistics"),
        # 分管领导: the dashboard.
        ("领导驾驶舱", "service:dashboard", None, "dashboard", "view"),
        # 数据交换: the partners' batches and the queues they feed.
        ("数据交换批次", "integrations:batch_list", None, "exchange_batch", "create"),
        ("交换错误行", "integrations:dead_letters", None, "dead_letter", "view"),
        ("缴费比对差异", "integrations:mismatch_list", None, "contribution_mismatch", "view"),
        ("死亡信息核实", "integrations:death_list", None, "death_record", "view"),
        ("多发待遇追回", "integrations:overpayment_list", None, "overpayment", "view"),
        ("待遇资格认证", "integrations:certification_list", None, "benefit_certification", "review"),
        ("入出院通知", "integrations:hospital_notice_list", None, "hospital_notice", "view"),
        ("身份核验", "integrations:identity_list", None, "identity_check", "view"),
        ("案卷包与转移", "integrations:package_list", None, "case_package", "view"),
        ("月度统计报表", "integrations:report_list", None, "statistics_report", "view"),
        # 合作经办: the embedded insurer staff's assigned investigations, audit visits and sessions.
        ("合作经办任务", "service:cooperator_tasks", None, "cooperation", "view"),
        # The three administrators: their own pages only.
        ("经办人员", "accounts:staff_list", None, "staff_account", "view"),
        ("定点机构凭证", "accounts:institution_list", None, "institution_credential", "view"),
        ("权限矩阵", "accounts:access_matrix", None, "access_matrix", "view"),
        ("节假日维护", "core:calendar_overrides", None, "calendar", "view"),
        ("通知发件箱", "core:outbox_list", None, "outbox_message", "view"),
        ("审计日志", "core:audit_list", None, "audit_event", "view"),
        ("敏感信息查看记录", "core:pii_access_list", None, "pii_access_log", "view"),
    ],
}


# The icon of each page's tile (web/_icon.html); pages not listed get a document icon.
ICONS = {
    "web:individual_home": "home", "web:employer_home": "home", "web:staff_home": "home", "medical:portal_home": "home",
    "quickreports:start": "alert", "quickreports:supplement_start": "supplement",
    "recognition:my_list": "stamp", "benefits:my_statements": "money", "benefits:calculator": "calculator",
    "accounts:bind_person": "id", "registry:employer_overview": "building", "registry:roster": "people",
    "registry:person_search": "search", "registry:change_list": "swap", "registry:import_list": "upload",
    "registry:certificates": "print", "accounts:employer_handlers": "me",
}


def menu_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = []
    for label, url_name, kwargs, kind, action in MENUS.get(user.kind, []):
        if kind is not None and not may(user, kind, action):
            continue
        try:
            url = reverse(url_name, kwargs=kwargs)
        except NoReverseMatch:
            continue  # a page whose module is not installed in this build
        items.append({"label": label, "url": url, "icon": ICONS.get(url_name, "doc")})
    return items


# The phone's bottom tab bar (≤ 640 px) for individuals and employers: five tabs, each the first
# page of its candidates the account may open (the same matrix test as the menu). A tab with no
# allowed candidate is left out, so the bar never links to a page its account is refused.
# 进度 is where an application's progress is shown; 消息 is where staff's requests for more
# information reach the reporter: the case messages first, else the quick-report supplement by code.
TABS = {
    Audience.INDIVIDUAL: [
        ("home", "首页", [("web:individual_home", None, "home", "individual")]),
        ("services", "办事", [("web:services", None, "home", "services")]),
        ("progress", "进度", [("recognition:my_list", None, "recognition_application", "create")]),
        ("messages", "消息", [("service:my_messages", None, "case_message", "view"),
                             ("quickreports:supplement_start", None, "quick_report", "supplement")]),
        ("me", "我的", [("accounts:bind_person", None, "own_account", "bind_person"),
                        ("accounts:my_tokens", None, "own_account", "view")]),
    ],
    Audience.EMPLOYER: [
        ("home", "首页", [("web:employer_home", None, "home", "employer")]),
        ("services", "办事", [("web:services", None, "home", "services")]),
        ("progress", "进度", [("recognition:my_list", None, "recognition_application", "create"),
                             ("registry:change_list", None, "enrolment_change", "create")]),
        ("messages", "消息", [("service:my_messages", None, "case_message", "view"),
                             ("quickreports:supplement_start", None, "quick_report", "supplement")]),
        ("me", "我的", [("registry:employer_overview", None, "employer", "view"),
                        ("accounts:my_tokens", None, "own_account", "view")]),
    ],
}


def tab_bar_for(user) -> list[dict]:
    """[{"key", "label", "url"}] for the phone's bottom bar; [] for staff and the signed-out."""
    if not getattr(user, "is_authenticated", False):
        return []
    tabs = []
    for key, label, candidates in TABS.get(user.kind, []):
        for url_name, kwargs, kind, action in candidates:
            if kind is not None and not may(user, kind, action):
                continue
            try:
                url = reverse(url_name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            tabs.append({"key": key, "label": label, "url": url})
            break
    return tabs
