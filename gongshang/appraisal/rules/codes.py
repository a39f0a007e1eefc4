"""Stable codes of 劳动能力鉴定 (one list for rules, pages, API), with the legal source of each.

Application kinds (工伤职工劳动能力鉴定管理办法, 2014, amended 2018; 工伤保险条例 第二十二条至第二十八条):
- initial (初次鉴定): 伤残等级 and 生活自理障碍程度 (条例 第二十二条, 第二十三条);
- second (再次鉴定): by the provincial committee, within 15 days of receiving the conclusion
  (条例 第二十六条); its conclusion is final;
- review (复查鉴定): one year or more after the conclusion, when the condition has changed
  (条例 第二十八条); the worker, the relatives, the employer or the agency may apply;
- leave_extension (停工留薪期延长确认): 条例 第三十三条 第二款;
- device (配置辅助器具确认): 条例 第三十二条;
- rehabilitation (工伤康复确认): 条例 第三十条 第四款;
- relapse (旧伤复发确认): 条例 第三十八条;
- dependant (供养亲属劳动能力鉴定): 因工死亡职工供养亲属范围规定 第三条 (完全丧失劳动能力).
"""

INITIAL = "initial"
SECOND = "second"
REVIEW = "review"
LEAVE_EXTENSION = "leave_extension"
DEVICE = "device"
REHABILITATION = "rehabilitation"
RELAPSE = "relapse"
DEPENDANT = "dependant"

KINDS = {
    INITIAL: "初次鉴定（伤残等级、生活自理障碍程度）",
    SECOND: "再次鉴定",
    REVIEW: "复查鉴定",
    LEAVE_EXTENSION: "停工留薪期延长确认",
    DEVICE: "配置辅助器具确认",
    REHABILITATION: "工伤康复确认",
    RELAPSE: "旧伤复发确认",
    DEPENDANT: "供养亲属劳动能力鉴定",
}
# Kinds that grade the disability (a conclusion with a grade that benefits are computed from).
GRADING_KINDS = frozenset({INITIAL, SECOND, REVIEW})
# Confirmations (确认类): examined in the same batch, concluded with yes/no and what is approved.
CONFIRMATION_KINDS = frozenset({LEAVE_EXTENSION, DEVICE, REHABILITATION, RELAPSE})

# Who applies (条例 第二十三条: 用人单位、工伤职工或者其近亲属; 第二十八条: 经办机构 for 复查).
WORKER = "worker"
RELATIVE = "relative"
EMPLOYER = "employer"
AGENCY = "agency"
APPLICANTS = {WORKER: "工伤职工本人", RELATIVE: "近亲属", EMPLOYER: "用人单位", AGENCY: "社会保险经办机构"}

# What an application asks to be concluded (the items of the one form).
ITEM_GRADE = "disability_grade"
ITEM_SELF_CARE = "self_care"
ITEMS = {
    ITEM_GRADE: "伤残等级",
    ITEM_SELF_CARE: "生活自理障碍程度",
    "leave_extension": "停工留薪期延长",
    "device": "配置辅助器具",
    "rehabilitation": "工伤康复",
    "relapse": "旧伤复发",
    "dependant_incapacity": "供养亲属完全丧失劳动能力",
}
KIND_ITEMS = {
    INITIAL: (ITEM_GRADE, ITEM_SELF_CARE),
    SECOND: (ITEM_GRADE, ITEM_SELF_CARE),
    REVIEW: (ITEM_GRADE, ITEM_SELF_CARE),
    LEAVE_EXTENSION: ("leave_extension",),
    DEVICE: ("device",),
    REHABILITATION: ("rehabilitation",),
    RELAPSE: ("relapse",),
    DEPENDANT: ("dependant_incapacity",),
}

# Materials (鉴定办法 第八条, 2018): the application form, the diagnosis and complete medical
# records, the ID. The recognition decision is taken from the case, never uploaded again.
APPLICATION_FORM = "appraisal_form"
MEDICAL_RECORDS = "medical_records"
ID_DOCUMENT = "id_card"
DAILY_LIFE_VIDEO = "daily_life_video"      # 绿色通道: a short video of daily life
PRIOR_CONCLUSION = "prior_conclusion"      # 再次/复查: the earlier conclusion (from the platform when it issued it)
MATERIALS = {
    APPLICATION_FORM: "劳动能力鉴定申请表",
    MEDICAL_RECORDS: "诊断证明及完整病历材料",
    ID_DOCUMENT: "工伤职工居民身份证",
    DAILY_LIFE_VIDEO: "日常生活状况短视频（绿色通道）",
    PRIOR_CONCLUSION: "原鉴定结论书",
}

# Conclusions (条例 第二十二条; GB/T 16180-2014).
SELF_CARE_LEVELS = {"complete": "生活完全不能自理", "most": "生活大部分不能自理", "partial": "生活部分不能自理"}
NOT_GRADED = 0  # 未达级

# Visits of the green channel (潍坊: 上门鉴定).
VISIT_MODES = {"home": "上门鉴定", "remote": "远程视频鉴定"}
