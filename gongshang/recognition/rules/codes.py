"""Stable codes of 工伤认定 (API values never change; labels may). choices.py builds the Django
TextChoices from these tables, so pages, API and rules share one list."""

# 认定情形: 条例 第十四条 (应当认定), 第十五条 (视同), with the situations the materials depend on.
CIRCUMSTANCES: dict[str, str] = {
    "art14_1": "在工作时间和工作场所内，因工作原因受到事故伤害（条例第十四条第一项）",
    "art14_2": "工作时间前后在工作场所内，从事预备性或者收尾性工作受到事故伤害（条例第十四条第二项）",
    "art14_3": "在工作时间和工作场所内，因履行工作职责受到暴力等意外伤害（条例第十四条第三项）",
    "art14_4": "患职业病（条例第十四条第四项）",
    "art14_5": "因工外出期间，由于工作原因受到伤害或者发生事故下落不明（条例第十四条第五项）",
    "art14_5_missing": "因工外出期间，发生事故下落不明（条例第十四条第五项）",
    "art14_6": "在上下班途中，受到非本人主要责任的交通事故伤害（条例第十四条第六项）",
    "art14_6_rail": "在上下班途中，受到非本人主要责任的城市轨道交通、客运轮渡、火车事故伤害（条例第十四条第六项）",
    "art14_7": "法律、行政法规规定应当认定为工伤的其他情形（条例第十四条第七项）",
    "assigned_activity": "受单位组织或指派参加体育比赛、文艺表演等活动受到伤害（条例第十四条）",
    "art15_1": "在工作时间和工作岗位，突发疾病死亡或者在48小时之内经抢救无效死亡（条例第十五条第一项）",
    "art15_2": "在抢险救灾等维护国家利益、公共利益活动中受到伤害（条例第十五条第二项）",
    "art15_3": "原在军队服役，因战、因公负伤致残，已取得革命伤残军人证，到用人单位后旧伤复发（条例第十五条第三项）",
}
OCCUPATIONAL_DISEASE = "art14_4"
COMMUTING = "art14_6"
VIOLENCE = "art14_3"
BUSINESS_TRIP = "art14_5"
MISSING_PERSON = "art14_5_missing"
COMMUTING_RAIL = "art14_6_rail"
ASSIGNED_ACTIVITY = "assigned_activity"
SUDDEN_DEATH = "art15_1"
PUBLIC_INTEREST = "art15_2"
VETERAN = "art15_3"
DEEMED_CIRCUMSTANCES = frozenset({SUDDEN_DEATH, PUBLIC_INTEREST, VETERAN})

# 治疗方式 (several may apply: 120 to the ward).
TREATMENTS: dict[str, str] = {
    "emergency_120": "120急救",
    "outpatient": "门诊治疗",
    "inpatient": "住院治疗",
}

# 申请人 (条例 第十七条): the employer, or the worker, a close relative, the union.
APPLICANTS: dict[str, str] = {
    "employer": "用人单位",
    "worker": "职工本人",
    "relative": "职工近亲属",
    "union": "工会组织",
}
EMPLOYER = "employer"
WORKER = "worker"

# 材料类型: stable codes documented in docs/recognition.md.
MATERIALS: dict[str, str] = {
    "application_form": "工伤认定申请表",
    "labour_relation": "劳动关系证明（劳动合同或事实劳动关系证明）",
    "medical_diagnosis": "医疗诊断证明",
    "occupational_disease_diagnosis": "职业病诊断证明书（或职业病诊断鉴定书）",
    "injured_id": "受伤职工身份证明",
    "emergency_record": "120急救记录",
    "outpatient_record": "门诊病历",
    "inpatient_front_page": "住院病历首页",
    "admission_record": "入院记录",
    "traffic_liability": "交通事故责任认定书",
    "accident_liability": "有关部门出具的事故责任认定（城市轨道交通、客运轮渡、火车事故）",
    "commute_route": "上下班路线图",
    "work_schedule": "作息时间表",
    "residence_proof": "居住证明",
    "police_receipt": "报警回执（或公安机关记录）",
    "official_document": "单位组织或指派活动的正式文件",
    "business_trip_proof": "因工外出证明（派遣或出差凭证）",
    "missing_person_proof": "下落不明的证明（公安机关或人民法院）",
    "public_interest_proof": "抢险救灾等维护公共利益的证明",
    "veteran_certificate": "革命伤残军人证",
    "death_certificate": "死亡证明",
    "rescue_record": "抢救记录",
    "kinship_proof": "亲属关系证明（结婚证、户口簿或居（村）委会证明）",
    "applicant_id": "申请人身份证明",
    "applicant_relation": "申请人与职工关系证明",
    "power_of_attorney": "授权委托书",
    "investigation_report": "单位事故调查报告",
    "witness_statement": "证人证言（附证人身份证复印件）",
    "scene_photo": "现场照片",
    "scene_video": "现场视频",
    "other": "其他材料",
}

DECISIONS: dict[str, str] = {
    "recognized": "认定为工伤",
    "deemed": "视同工伤",
    "not_recognized": "不予认定为工伤",
}
