"""Who may do what: the one role × action matrix of the platform (DESIGN conventions 2 and 3).

Read it as a table. Each object kind lists its actions; each action lists who may take it:
- the outside audiences IND (个人), EMP (单位经办人), INST (定点机构), always on their own rows only
  (the model's declared scope says what "own" is: the person's, the employer's, the reporter's);
- staff roles, always within their own 统筹区 (jurisdiction).
An action that is not listed is refused to everyone. Pure data: no Django imports, so the table
can be read, rendered (the security administrator's page, docs/access.md) and tested on its own.

Conventions for the actions:
- `view`: see the row (lists and detail) with personal data masked;
- `view_pii`: see the unmasked 身份证号, mobile, bank account or medical content (logged);
- `edit`: change the row's data without changing its status;
- every other action is a workflow step or an operation named after it.

三权分立 (GB/T 22239-2019): the system, security and audit administrators run the platform; they
see no case data, no person and no money, only what their own job needs.
"""

from types import MappingProxyType

# Outside audiences (the account's kind).
IND = "individual"
EMP = "employer"
INST = "institution"
AUDIENCES = (IND, EMP, INST)

# Staff roles (accounts.choices.StaffRole values).
INT = "intake"              # 受理员
INV = "investigator"        # 调查员
REV = "reviewer"            # 审核员
APR = "appraisal_admin"     # 鉴定管理员
BEN = "benefits_reviewer"   # 待遇审核员
INS = "inspector"           # 稽核员
HOT = "hotline"             # 热线坐席
SYS = "system_admin"        # 系统管理员
SEC = "security_admin"      # 安全管理员
AUD = "audit_admin"         # 审计管理员
EXP = "appraisal_expert"    # 鉴定专家 (an expert of the pool with a login: the applications of their panels only)
WIN = "window"              # 综合窗口 (一窗受理: accepts any matter at one counter)
PRV = "prevention"          # 工伤预防专管员 (county plans, projects, trainers, sessions; the city approves)
COO = "cooperator"          # 合作经办人员 (an insurer's staff embedded in the agency: assisting actions only)
LEAD = "leader"             # 分管领导 (the dashboard: figures, no person)
EXC = "exchange"            # 数据交换管理员 (batches with 税务、民政、公安、卫健 and the province; their error rows)
ROLES = (INT, INV, REV, APR, BEN, INS, HOT, SYS, SEC, AUD, EXP, WIN, PRV, COO, LEAD, EXC)
ADMIN_ROLES = frozenset({SYS, SEC, AUD})

# Who may sign in at all: every signed-in account, whatever its kind or role (own rows only).
EVERYONE = (IND, EMP, INST) + ROLES

# The recognition workbench (认定): 受理员, 调查员, 审核员.
RECOGNITION_DESK = (INT, INV, REV)

# Staff who work a case and so talk with its applicants (case messages) and answer transferred tickets.
CASE_DESKS = (INT, INV, REV, APR, BEN, WIN)

_MATRIX = {
    # 工伤快报: the reporter (worker or employer) reports and supplements; the intake desk works it.
    "quick_report": {
        "create": (IND, EMP),
        "view": (IND, EMP, INT, INV),
        "view_pii": (INT, INV),
        "queue": (INT, INV),           # the 快报收件箱 (staff pages and API); reporters read their own by code
        "supplement": (IND, EMP),
        "receive": (INT, INV),
        "message": (INT, INV),
        "open_case": (INT, INV),
        "green_channel": (INT, INV),
        "close_invalid": (INT, INV),
    },
    # 工伤案件: the one case of an injured person.
    "case": {
        "view": (IND, EMP, INT, INV, REV, APR, BEN),
        "open": (INT, INV, REV),       # 立案: from the quick report (受理员/调查员) or on accepting recognition
        "close": (INT, INV),           # with the quick report closed as invalid (an applicant's deleted draft: recognition)
        "green_channel": (INT, INV),   # with the quick report's 绿色通道
        "start_recognition": (IND, EMP),
        "record_conclusion": (BEN,),
    },
    # 工伤认定申请. 合作经办 (COO) reaches only the applications it assists in investigating (the
    # model's scope) and may only add investigation notes there.
    "recognition_application": {
        "create": (IND, EMP),
        "view": (IND, EMP) + RECOGNITION_DESK + (COO,),
        "view_pii": RECOGNITION_DESK,
        "edit": (IND, EMP),            # update, materials, the generated form (the owner only: condition)
        "delete": (IND, EMP),          # a draft or an application awaiting correction (its own status step)
        "submit": (IND, EMP),
        "resubmit": (IND, EMP),        # 补正后重新提交: back to the same 受理员 (its own status step)
        "withdraw": (IND, EMP),
        "receive_decision": (IND, EMP),
        "queue": RECOGNITION_DESK,
        "allocate": (INT, REV),
        "accept": (INT, REV),
        "request_correction": (INT, REV),
        "reject": (INT, REV),
        "investigate": (INV, REV),
        "note": (INV, REV, COO),
        "report": (INV, REV),
        "suspend": (REV,),
        "resume": (REV,),
        "resume_investigation": (REV,),  # 恢复 of a case suspended during its investigation
        "decide": (REV,),
        "deliver": (INT, REV),
        "period_extension": (INT, REV),
    },
    # 案件材料 by kind. Materials: what the applicant handed in (medical content: view is view_pii).
    "case_document.material": {
        "view": (IND, EMP) + RECOGNITION_DESK + (APR, BEN),
        "add": (IND, EMP),
        "retire": (IND, EMP),
    },
    # Agency-internal papers (调查报告): never shown to applicants.
    "case_document.internal": {
        "view": RECOGNITION_DESK,
        "add": (INV, REV),
    },
    # 鉴定结论 and other conclusions benefits are computed from.
    "case_document.conclusion": {
        "view": (REV, APR, BEN),
        "add": (APR, BEN),
    },
    # 认定文书 issued by the agency (受理通知书, 认定决定书 ...).
    "recognition_document": {
        "view": (IND, EMP) + RECOGNITION_DESK,
    },
    # 劳动能力鉴定申请: the worker (or a close relative through the worker's account) and the employer
    # apply; the agency applies for 复查鉴定 (条例 第二十八条). The 鉴定管理员 works the application;
    # an expert reaches only the applications of the panels they sit on (the model's scope).
    "appraisal_application": {
        "create": (IND, EMP, APR),
        "view": (IND, EMP, APR, EXP, BEN),
        "view_pii": (APR,),
        "edit": (IND, EMP, APR),        # the owner only (condition)
        "delete": (IND, EMP, APR),
        "submit": (IND, EMP, APR),
        "withdraw": (IND, EMP),
        "receive_conclusion": (IND, EMP),
        "message": (IND, EMP, APR),
        "queue": (APR,),
        "request_correction": (APR,),
        "accept": (APR,),
        "extend": (APR,),
        "postpone": (APR,),
        "schedule": (APR,),
        "approve_visit": (APR,),
        "record_no_show": (APR,),
        "terminate": (APR,),
        "check_in": (APR,),
        "opinion": (EXP,),              # the expert's own signed opinion (a member of the panel: condition)
        "examine": (APR,),
        "refer": (APR,),
        "conclude": (APR,),
        "deliver": (APR,),
    },
    # 鉴定批次: the schedule, the site, the draw of the panels, exam day, publication.
    "appraisal_batch": {
        "view": (APR, EXP),
        "create": (APR,),
        "edit": (APR,),
        "close": (APR,),
        "draw": (APR,),
        "finish": (APR,),
        "publish": (APR,),
    },
    # 鉴定专家库.
    "appraisal_expert": {
        "view": (APR,),
        "view_pii": (APR,),
        "manage": (APR,),
    },
    # 鉴定结论 (and the 鉴定结论书): the worker's and the employer's own; the benefits desk computes from it.
    "appraisal_conclusion": {
        "view": (IND, EMP, APR, BEN),
        "export_package": (APR,),       # 再次鉴定: the case file as one package for the provincial committee
        "import_provincial": (APR,),
    },
    # 鉴定结论公示: the public page is open to all (masked); objections are recorded by staff.
    "appraisal_publication": {
        "view": (APR,),
        "record_objection": (APR,),
    },
    # GB/T 16180-2014 and the combination rule: an aid for experts and staff, and for applicants to read.
    "appraisal_standard": {
        "view": (IND, EMP, APR, EXP, BEN),
    },
    # 鉴定地区设置 (batch interval, no-show limit, publication period) and 鉴定场所.
    "appraisal_setting": {
        "view": (APR,),
        "edit": (APR,),
    },
    # 工伤医疗 (稽核员 = the medical desk): 协议机构, catalogues, bills, monthly settlement, 异地就医备案,
    # on-site audits, assistive devices and rehabilitation. An institution reaches its own rows only.
    "medical_institution": {
        "view": (INST, INS, BEN),
        "manage": (INS,),           # create, edit, link API clients
        "suspend": (INS,),          # 暂停结算 (with a reason)
        "resume": (INS,),
        "terminate": (INS,),        # 解除协议 (final)
    },
    "medical_catalogue": {
        "view": (IND, EMP, INST, INS, BEN),
        "import": (INS,),
    },
    "medical_eligibility": {
        "check": (INST, INS),
    },
    "medical_encounter": {
        "create": (INST,),
        "view": (IND, INST, INS),
        "view_pii": (INS,),
        "edit_lines": (INST,),
        "settle": (INST,),
        "answer": (INST,),
        "queue": (INS,),
        "query": (INS,),
        "approve": (INS,),
        "deduct": (INS,),
        "analyse": (INS,),          # 异常指标: per-institution outliers against peers
    },
    "medical_statement": {
        "view": (INST, INS, BEN),
        "compute": (INS,),
        "approve": (INS,),          # not the one who computed it (condition)
        "release": (INS,),          # not the one who approved it (condition)
        "export_bank_file": (INS,),
        "record_paid": (INS,),
        "adjust": (INS,),           # 扣减与追回 outside one bill
    },
    "remote_registration": {
        "create": (IND, INS),
        "view": (IND, INS),
        "change": (IND, INS),
        "cancel": (IND, INS),
        "queue": (INS,),
    },
    "medical_audit_campaign": {
        "view": (INS,),
        "create": (INS,),
        "edit": (INS,),
        "start": (INS,),
        "report": (INS,),
        "close": (INS,),
    },
    # 合作经办 (COO) reaches only the visits of the teams it sits on (the model's scope).
    "medical_audit_visit": {
        "view": (INST, INS, COO),
        "record": (INS, COO),       # a member of the assigned team (condition)
        "notify": (INS,),
        "respond": (INST,),
        "close": (INS,),
    },
    "medical_referral": {
        "create": (INS,),
        "view": (IND, INST, INS),
        "choose": (IND, INS),
        "settle": (INST,),
        "cancel": (INS,),
    },
    "medical_setting": {
        "view": (INS,),
        "edit": (INS,),
    },
    # 服务 (12333, one window, messages, 好差评, 工伤预防, the dashboard).
    # 一窗受理 (三事合一): one request at the 综合窗口 or online names every matter (认定, then 鉴定 and
    # 待遇 prepared in advance); the back office works them in parallel.
    "window_request": {
        "create": (IND, EMP, WIN),
        "view": (IND, EMP, WIN, INT, REV, APR, BEN),
        "receipt": (IND, EMP, WIN),     # the one receipt: every matter and its statutory date
        "queue": (WIN, APR, BEN),       # the back office's list of follow-on matters
        "prepare": (APR, BEN),          # mark a follow-on matter prepared in advance
        "withdraw": (IND, EMP, WIN),    # drop a follow-on matter not yet created
    },
    # 12333 工单: the agent files and tracks; the desks it is transferred to reply.
    "service_ticket": {
        "create": (HOT, WIN),
        "view": (HOT, WIN) + CASE_DESKS + (INS, PRV),
        "view_pii": (HOT,),             # the caller's full mobile and ID number (logged)
        "queue": (HOT, WIN) + CASE_DESKS + (INS, PRV),
        "lookup": (HOT, WIN),           # find the caller's person and cases by ID number or mobile
        "transfer": (HOT,),
        "reply": (HOT,) + CASE_DESKS + (INS, PRV),  # the desk it was transferred to (condition)
        "close": (HOT, WIN),            # the window: only what it answered at the counter (condition)
        "callback": (HOT,),             # call the caller back and record their rating
    },
    # 知识库: answers with their legal articles, for agents and the window.
    "knowledge_article": {
        "view": (HOT, WIN, COO),
        "manage": (HOT,),
    },
    # 案件留言: one thread per case between the applicant side and the staff working on it.
    "case_message": {
        "view": (IND, EMP) + CASE_DESKS,
        "send": (IND, EMP) + CASE_DESKS,
        "to_correction": (INT, REV, APR),  # turn an applicant's message into a 补正 request
    },
    # 好差评 (国办发〔2019〕51号): the applicant rates each finished matter; 1–2 open a follow-up.
    "service_rating": {
        "create": (IND, EMP),
        "view": (IND, EMP, HOT, WIN),   # the 分管领导 reads the statistics, not who said what
        "follow_up": (HOT, WIN),        # work and close the follow-up of a bad rating
        "statistics": (HOT, WIN, LEAD),
    },
    # 工伤预防: county plans (the city approves, within the cap), projects, the trainer pool, courses,
    # sessions. 合作经办 helps run sessions (prevention events).
    "prevention_plan": {
        "view": (PRV, LEAD, COO),
        "create": (PRV,),
        "edit": (PRV,),
        "submit": (PRV,),
        "approve": (PRV,),              # not the one who submitted it (condition)
        "return": (PRV,),
        "statistics": (PRV, LEAD),
    },
    "prevention_project": {
        "view": (PRV, LEAD, COO),
        "create": (PRV,),
        "edit": (PRV,),
        "approve": (PRV,),
        "contract": (PRV,),
        "complete_delivery": (PRV,),
        "acceptance": (PRV,),
        "evaluate": (PRV,),
        "pay": (PRV,),                  # not the one who accepted it (condition)
    },
    "prevention_trainer": {
        "view": (PRV, COO),
        "view_pii": (PRV,),
        "manage": (PRV,),
        "review_course": (PRV,),
    },
    "training_session": {
        "view": (PRV, LEAD, COO),
        "create": (PRV, COO),
        "attendance": (PRV, COO),       # the trainees' names and answers (the leader sees figures only)
        "record_session": (PRV, COO),   # attendance, questionnaires, evaluation forms, media
        "close": (PRV,),
    },
    # 服务地区参数 (ticket due days, follow-up days, the prevention cap and last year's fund income).
    "service_setting": {
        "view": (HOT, WIN, PRV, LEAD),
        "edit": (HOT, PRV),
    },
    # 合作经办任务: the embedded insurer staff's own list (assigned investigations, audit visits,
    # prevention sessions) and the trail of its own actions.
    "cooperation": {
        "view": (COO,),
    },
    # 领导驾驶舱: figures by stage, deadline, hotline, ratings, prevention, benefits; no person.
    "dashboard": {
        "view": (LEAD,),
        "export": (LEAD,),
    },
    # 数据交换 (税务、民政、公安、卫健、省级系统): batches in and out, their error rows, and the queues
    # they feed (缴费比对差异, 死亡信息, 多发追回, 资格认证, 案卷包, 入出院通知).
    "exchange_batch": {
        "view": (EXC, INT, BEN, APR),
        "create": (EXC,),               # receive a partner's file (page or API)
        "retry": (EXC,),                # process a failed batch again
        "download_errors": (EXC,),
    },
    "dead_letter": {
        "view": (EXC,),
        "resolve": (EXC,),
    },
    "contribution_mismatch": {
        "view": (EXC, INT),
        "resolve": (INT, EXC),
    },
    "death_record": {
        "view": (BEN, EXC),
        "confirm": (BEN,),              # the death is verified: monthly benefits stop
        "refute": (BEN,),               # the report was wrong: benefits resume, nothing is lost
    },
    "overpayment": {
        "view": (BEN,),
        "recover": (BEN,),
        "waive": (BEN,),
    },
    # 身份核验 against the population register: asked by the system at 增员, binding and quick reports.
    "identity_check": {
        "view": (EXC, INT),
        "check": (EXC, INT),            # a staff member checks one ID number and name by hand
    },
    # 待遇领取资格认证: yearly, per monthly beneficiary.
    "benefit_certification": {
        "view": (IND, INST, BEN),
        "certify": (IND,),              # the beneficiary certifies on the phone with a live photo
        "review": (BEN,),               # compare the live photo with the registry photo
        "confirm": (BEN, INST),         # confirmed at the window or by a designated institution
        "run": (BEN,),                  # the yearly data comparison, reminders and lapses now
    },
    # 省级交换: case packages (再次鉴定, 跨统筹区转移) and transfers received.
    "case_package": {
        "view": (APR, BEN, EXC),
        "create": (APR, BEN),
        "send": (APR, BEN, EXC),
        "take_over": (BEN,),            # continue a transferred-in worker's benefits here
    },
    "statistics_report": {
        "view": (EXC, LEAD),
        "create": (EXC,),
        "send": (EXC,),
    },
    "hospital_notice": {
        "view": (INT, REV, BEN, INS, EXC),
        "link": (INT, BEN),
        "dismiss": (INT, BEN),
    },
    # 参保人: the employer sees the people it has enrolled (ever: it prints certificates and reports
    # for people it has since reduced); an individual its bound person; staff: the 受理员 (参保登记).
    "person": {
        "view": (IND, EMP, INT),
        "view_pii": (IND, EMP, INT),
        "search": (EMP, INT),
    },
    "employer": {
        "view": (EMP, INT),
        "overview": (EMP,),         # 单位综合查询: the employer's own page
        "verify": (INT,),
    },
    # 参保关系 (the roster) and its contributions. The status steps are applied when the 受理员
    # confirms a 减员 (suspend, stop, convert) or a 续保 (resume); nobody takes them directly.
    "enrolment": {
        "view": (IND, EMP, INT),
        "roster": (EMP,),           # 员工花名册: the employer's own roster (page, API, export)
        "suspend": (INT,),
        "stop": (INT,),
        "convert": (INT,),
        "resume": (INT,),
    },
    # 增减员: the employer declares and may change or withdraw while pending; the 受理员 decides.
    "enrolment_change": {
        "create": (EMP,),
        "view": (EMP, INT),
        "edit": (EMP,),
        "withdraw": (EMP,),
        "confirm": (INT,),
        "reject": (INT,),
    },
    # 批量导入 (Excel). The 受理员 may follow an import's progress when an employer calls; the
    # error file repeats full ID numbers and stays with the employer that uploaded it. The worker
    # (the platform, no account) claims and concludes imports: complete/reject/fail are nobody's.
    "roster_import": {
        "create": (EMP,),
        "view": (EMP, INT),
        "run": (EMP,),              # "立即处理" when no worker picks a queued import up
        "retry": (EMP,),
        "download_errors": (EMP,),
        "complete": (),
        "reject": (),
        "fail": (),
    },
    # 参保证明 and 增减员报表 issued as PDF (IssuedDocument rows of the registry's kinds).
    "certificate": {
        "view": (EMP, INT),
        "issue_employer": (EMP,),
        "issue_person": (EMP, INT),
        "issue_change_report": (EMP,),
    },
    # Issued documents of other kinds (认定文书 ...): each is served by its own model
    # (RecognitionDocument ...), never as a bare issued document, so nobody opens them here.
    "issued_document": {
    },
    # 待遇: the employer pays part of the benefits (停工留薪期工资, 一次性伤残就业补助金), so it sees the
    # entitlements of its own cases; the worker sees their own.
    "entitlement": {
        "view": (IND, EMP, BEN),
        "view_pii": (BEN,),
        "create": (BEN,),
        "approve": (BEN,),              # not the maker (Entitlement.access condition)
        "reject": (BEN,),               # not the maker
        "suspend": (BEN,),
        "resume": (BEN,),
        "stop": (BEN,),
        "convert": (BEN,),
    },
    # Payments are the worker's (and the beneficiary's) own; the employer pays its part itself.
    "payment": {
        "view": (IND, BEN),
        "statement": (IND,),            # 「我的待遇」: the bound person's own statements page
        "release": (BEN,),              # pending → sent, with the run's release (bulk)
        "record_paid": (BEN,),          # sent → paid, from the bank's return file
        "record_failed": (BEN,),        # sent → failed, from the bank's return file
    },
    # The bank file and its return belong to a run (moved from payment: they act on the run's file).
    "payroll_run": {
        "view": (BEN,),
        "create": (BEN,),
        "resume": (BEN,),
        "compute": (BEN,),              # computing → computed (the platform finishes what create/resume began)
        "approve": (BEN,),              # not the maker (PayrollRun.access condition)
        "release": (BEN,),              # not the approver
        "export_bank_file": (BEN,),
        "import_bank_return": (BEN,),
        "reconcile": (BEN,),            # released → reconciled when the last payment is returned
    },
    # approve/reject replace `decide` (two targets need two actions); not the proposer.
    "adjustment": {
        "view": (BEN,),
        "propose": (BEN,),
        "approve": (BEN,),
        "reject": (BEN,),
    },
    # 待遇参数 (regional figures). National figures: only the 系统管理员 of the home region.
    "parameter": {
        "view": (BEN, SYS),
        "add": (BEN, SYS),
        "correct": (BEN, SYS),
    },
    "audit_event": {
        "view": (AUD,),
    },
    "pii_access_log": {
        "view": (AUD,),
    },
    # 消息发送队列. Platform-wide messages: only the 系统管理员 of the home region.
    "outbox_message": {
        "view": (SYS,),
        "retry": (SYS,),
        "send": (),                    # the delivery worker's own steps (actor None), nobody's by hand
        "defer": (),
        "fail": (),
    },
    # 节假日与调休 (national; edits by the 系统管理员 of the home region).
    "calendar": {
        "view": (SYS,),
        "edit": (SYS,),
    },
    "staff_account": {
        "view": (SEC,),
        "manage": (SEC,),
    },
    # 单位经办人账户: the employer's handlers see each other; adding one is for the primary handler
    # (a per-row condition in the service), never for staff.
    "employer_handler": {
        "view": (EMP,),
        "manage": (EMP,),
    },
    "institution_credential": {
        "view": (SEC,),
        "manage": (SEC,),
    },
    # This table itself, as a page.
    "access_matrix": {
        "view": (SEC,),
    },
    # Home pages: each audience its own; every staff role has the workbench (its menu leads to its work).
    "home": {
        "individual": (IND,),
        "employer": (EMP,),
        "staff": ROLES,
        # 办事: the phone's service page, every service of the individual's or employer's menu as a tile.
        "services": (IND, EMP),
        "institution": (INST,),     # 定点机构首页 (the institution portal)
        "my_cases": (IND, EMP),     # 我的工伤: the worker's own cases, the employer's employees' (API list)
    },
    # Everyone's own API tokens and password; 实名绑定 is the individual's own (bind_person).
    "own_account": {
        "view": EVERYONE,
        "edit": EVERYONE,
        "bind_person": (IND,),
        "change_password": (EMP,) + ROLES,  # individuals sign in by SMS code; institutions get a new secret
    },
}

MATRIX = MappingProxyType({kind: MappingProxyType({action: frozenset(who) for action, who in actions.items()})
                           for kind, actions in _MATRIX.items()})

KIND_LABELS = {
    "quick_report": "工伤快报",
    "case": "工伤案件",
    "recognition_application": "工伤认定申请",
    "case_document.material": "案件材料（申请人提交）",
    "case_document.internal": "案件材料（经办内部，如调查报告）",
    "case_document.conclusion": "鉴定结论等材料",
    "recognition_document": "认定文书",
    "person": "参保人",
    "employer": "参保单位",
    "enrolment": "参保关系",
    "enrolment_change": "增减员申报",
    "roster_import": "批量导入",
    "certificate": "参保证明与报表",
    "issued_document": "其他出具文书",
    "entitlement": "待遇核定",
    "payment": "待遇发放明细",
    "payroll_run": "待遇发放批次",
    "adjustment": "待遇补扣",
    "parameter": "待遇参数",
    "audit_event": "审计日志",
    "pii_access_log": "敏感信息查看记录",
    "outbox_message": "消息发送队列",
    "calendar": "节假日与调休",
    "staff_account": "经办人员账户",
    "institution_credential": "定点机构接入凭证",
    "access_matrix": "权限矩阵",
    "appraisal_application": "劳动能力鉴定申请",
    "appraisal_batch": "鉴定批次",
    "appraisal_expert": "鉴定专家库",
    "appraisal_conclusion": "鉴定结论",
    "appraisal_publication": "鉴定结论公示",
    "appraisal_standard": "伤残等级标准（GB/T 16180-2014）",
    "appraisal_setting": "鉴定地区设置与场所",
    "medical_institution": "协议机构",
    "medical_catalogue": "工伤医疗目录",
    "medical_eligibility": "工伤就医资格",
    "medical_encounter": "就诊与费用明细",
    "medical_statement": "机构月度结算",
    "remote_registration": "异地就医备案",
    "medical_audit_campaign": "现场稽核计划",
    "medical_audit_visit": "机构现场稽核",
    "medical_referral": "辅助器具与康复",
    "medical_setting": "工伤医疗地区参数",
    "window_request": "一窗受理（三事合一）",
    "service_ticket": "12333 工单",
    "knowledge_article": "热线知识库",
    "case_message": "案件留言",
    "service_rating": "好差评",
    "prevention_plan": "工伤预防年度计划",
    "prevention_project": "工伤预防项目",
    "prevention_trainer": "工伤预防师资库与课程",
    "training_session": "工伤预防培训班次",
    "service_setting": "服务地区参数",
    "dashboard": "领导驾驶舱",
    "exchange_batch": "数据交换批次",
    "dead_letter": "数据交换错误行",
    "contribution_mismatch": "缴费比对差异",
    "death_record": "死亡信息",
    "overpayment": "多发待遇追回",
    "identity_check": "身份核验",
    "benefit_certification": "待遇领取资格认证",
    "case_package": "案卷包与跨统筹区转移",
    "statistics_report": "月度统计报表",
    "hospital_notice": "入出院通知",
    "cooperation": "合作经办任务",
    "own_account": "本人账户（密码、接口令牌）",
    "employer_handler": "单位经办人账户",
    "home": "首页",
}

ACTION_LABELS = {
    "view": "查看", "view_pii": "查看完整敏感信息", "edit": "修改", "create": "新建", "search": "查询",
    "supplement": "补充", "receive": "接收", "message": "留言", "open_case": "立案", "green_channel": "绿色通道",
    "close_invalid": "作无效关闭", "start_recognition": "发起认定申请", "record_conclusion": "录入鉴定结论",
    "submit": "提交", "withdraw": "撤回", "receive_decision": "签收文书", "queue": "查看待办队列",
    "allocate": "分配", "accept": "受理", "request_correction": "要求补正", "reject": "不予受理/驳回",
    "investigate": "开始调查", "note": "记录调查笔录", "report": "上传调查报告", "suspend": "中止",
    "resume": "恢复", "decide": "作出认定决定", "deliver": "送达", "period_extension": "记录申请时限延长",
    "add": "添加", "retire": "移除", "verify": "审核单位注册", "confirm": "确认", "retry": "重试",
    "download_errors": "下载错误明细", "issue_employer": "打印单位参保证明", "issue_person": "打印个人参保证明",
    "issue_change_report": "打印增减员报表", "approve": "复核通过", "stop": "终止", "convert": "退休转换",
    "export_bank_file": "导出银行文件", "import_bank_return": "导入银行回盘", "release": "发放",
    "propose": "提出", "correct": "更正", "manage": "管理",
    "open": "立案",
    "close": "关闭",
    "statement": "查看本人待遇与发放记录",
    "record_paid": "登记到账",
    "record_failed": "登记发放失败",
    "compute": "计算发放",
    "reconcile": "对账完成",
    "delete": "删除",
    "resubmit": "补正后重新提交",
    "resume_investigation": "恢复调查核实",
    "bind_person": "实名绑定",
    "individual": "个人首页",
    "employer": "单位首页",
    "staff": "经办工作台",
    "institution": "定点机构首页",
    "services": "办事（服务列表）",
    "change_password": "修改密码",
    "send": "发送",
    "defer": "推迟重发",
    "fail": "标记失败",
    "run": "立即处理",
    "complete": "处理完成",
    "overview": "查看本单位综合信息",
    "roster": "查看本单位花名册",
    "my_cases": "我的工伤（本人或本单位职工的案件进度）",
    "receive_conclusion": "签收鉴定结论书",
    "extend": "延长作出结论期限",
    "postpone": "登记顺延",
    "schedule": "编入鉴定批次",
    "approve_visit": "安排上门或远程鉴定",
    "record_no_show": "登记未到场",
    "terminate": "终止鉴定",
    "check_in": "现场签到与身份核验",
    "opinion": "填写并签署专家意见",
    "examine": "形成专家组意见",
    "refer": "报送省级鉴定委员会",
    "conclude": "作出鉴定结论",
    "draw": "抽取专家组",
    "finish": "结束现场鉴定",
    "publish": "公示结论",
    "export_package": "导出再次鉴定案卷包",
    "import_provincial": "导入省级鉴定结论",
    "record_objection": "登记公示异议",
    "import": "导入",
    "check": "查询",
    "edit_lines": "上传费用明细",
    "settle": "结算",
    "answer": "答复审核询问",
    "query": "向机构询问",
    "deduct": "审核扣减",
    "analyse": "查看异常指标",
    "adjust": "登记扣减与追回",
    "change": "变更",
    "cancel": "取消",
    "start": "开始检查",
    "record": "登记检查结果",
    "notify": "下达整改通知",
    "respond": "报送整改情况",
    "choose": "选择机构",
    "receipt": "打印受理回执",
    "prepare": "提前准备后续事项",
    "lookup": "查找来电人及其案件",
    "transfer": "转办",
    "reply": "答复",
    "callback": "回访",
    "statistics": "查看统计报表",
    "complete_delivery": "提交交付成果",
    "acceptance": "验收",
    "record_session": "登记签到、问卷、评估与影像",
    "to_correction": "转为补正通知",
    "follow_up": "处理差评整改",
    "return": "退回",
    "contract": "签订合同",
    "evaluate": "评估",
    "pay": "拨付",
    "review_course": "审核课程",
    "export": "导出",
    "attendance": "查看签到名单与学员问卷",
    "resolve": "核查处理",
    "refute": "核实有误并恢复待遇",
    "recover": "登记已追回",
    "waive": "核销",
    "certify": "提交资格认证",
    "review": "审核比对",
    "take_over": "接续转入待遇",
    "link": "关联案件",
    "dismiss": "排除",
}

WHO_LABELS = {
    IND: "个人", EMP: "单位", INST: "定点机构", INT: "受理员", INV: "调查员", REV: "审核员", APR: "鉴定管理员",
    BEN: "待遇审核员", INS: "稽核员", HOT: "热线坐席", SYS: "系统管理员", SEC: "安全管理员", AUD: "审计管理员",
    EXP: "鉴定专家", WIN: "综合窗口", PRV: "工伤预防专管员", COO: "合作经办人员", LEAD: "分管领导",
    EXC: "数据交换管理员",
}

# Kinds that hold case data: the three administrators may take no action on them.
CASE_DATA_KINDS = frozenset({
    "quick_report", "case", "recognition_application", "case_document.material", "case_document.internal",
    "case_document.conclusion", "recognition_document", "person", "employer", "enrolment", "enrolment_change",
    "roster_import", "certificate", "entitlement", "payment", "payroll_run", "adjustment",
    "appraisal_application", "appraisal_batch", "appraisal_expert", "appraisal_conclusion", "appraisal_publication",
    "medical_institution", "medical_eligibility", "medical_encounter", "medical_statement", "remote_registration",
    "medical_audit_campaign", "medical_audit_visit", "medical_referral",
    "window_request", "service_ticket", "case_message", "service_rating", "prevention_trainer", "training_session",
    "cooperation",
    "exchange_batch", "dead_letter", "contribution_mismatch", "death_record", "overpayment", "identity_check",
    "benefit_certification", "case_package", "hospital_notice",
})


def who_may(kind: str, action: str) -> frozenset[str]:
    """The audiences and roles that may take `action` on `kind` (empty when nobody may)."""
    try:
        actions = MATRIX[kind]
    except KeyError:
        raise KeyError(f"unknown object kind {kind!r}: add it to accounts/rules/access.py") from None
    return actions.get(action, frozenset())


def permits(kind: str, action: str, *, audience: str, roles=()) -> bool:
    """Whether an account of `audience` (holding `roles` when staff) may take `action` on `kind`.

    Staff accounts are allowed through any one of their roles; outside accounts by their audience.
    """
    if kind not in MATRIX:
        raise KeyError(f"unknown object kind {kind!r}: add it to accounts/rules/access.py")
    who = MATRIX[kind].get(action, frozenset())
    if audience == "staff":
        return bool(who & set(roles))
    return audience in who


def actions_of(kind: str) -> tuple[str, ...]:
    return tuple(MATRIX[kind])
