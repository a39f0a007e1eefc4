"""Which 门类 of GB/T 16180-2014 an application's injuries need on its panel (pure; no Django).

The standard sorts its items into five 门类 (GB/T 16180-2014 第5章 / 附录): 1 神经内科、神经外科、
精神科; 2 骨科、整形外科、烧伤科; 3 眼科、耳鼻喉科、口腔科; 4 普外科、胸外科、泌尿生殖科; 5 职业病内科.
The panel is drawn from the experts of the 门类 the injuries need (条例 第二十五条: 从医疗卫生专家库中随机
抽取); this table maps the words of the case's body part, injury type and diagnosis to the 门类.

Mapping (first matching row of each 门类 counts; several 门类 may match one case):
- neuro: 颅 脑 头部 神经 脊髓 截瘫 偏瘫 四肢瘫 精神 意识 癫痫 昏迷
- sensory: 眼 视力 视神经 耳 听力 鼻 喉 口腔 牙 颌
- visceral: 胸 肋 肺 腹 肝 脾 胰 肾 膀胱 胃 肠 心 尿道 生殖 睾丸 子宫
- occupational: 职业病 尘肺 矽肺 中毒 放射 噪声聋 哮喘 (occupational-disease diagnoses)
- ortho: 骨 折 手 足 指 趾 臂 腿 膝 踝 腕 肩 肘 髋 脊柱 腰 颈椎 烧伤 烫伤 瘢痕 皮肤 截肢 离断 关节
A case nothing matches needs 骨科门 ("ortho", the most frequent). A dependant's appraisal
(供养亲属劳动能力鉴定, 完全丧失劳动能力) is an internal-medicine judgement: 职业病内科门 ("occupational").
"""

NEURO = "neuro"
ORTHO = "ortho"
SENSORY = "sensory"
VISCERAL = "visceral"
OCCUPATIONAL = "occupational"
CATEGORIES = (NEURO, ORTHO, SENSORY, VISCERAL, OCCUPATIONAL)
LABELS = {
    NEURO: "神经内科、神经外科、精神科门",
    ORTHO: "骨科、整形外科、烧伤科门",
    SENSORY: "眼科、耳鼻喉科、口腔科门",
    VISCERAL: "普外科、胸外科、泌尿生殖科门",
    OCCUPATIONAL: "职业病内科门",
}
DEFAULT = ORTHO

# 门类 → keywords. Checked in this order; "视神经" is an eye injury, so sensory is checked before
# neuro for words that name both (see _SPECIFIC).
KEYWORDS = {
    NEURO: ("颅", "脑", "头部", "神经", "脊髓", "截瘫", "偏瘫", "四肢瘫", "精神", "意识", "癫痫", "昏迷"),
    ORTHO: ("骨", "折", "手", "足", "指", "趾", "臂", "腿", "膝", "踝", "腕", "肩", "肘", "髋", "脊柱", "腰",
            "颈椎", "烧伤", "烫伤", "瘢痕", "皮肤", "截肢", "离断", "关节"),
    SENSORY: ("眼", "视力", "视神经", "耳", "听力", "鼻", "喉", "口腔", "牙", "颌"),
    VISCERAL: ("胸", "肋", "肺", "腹", "肝", "脾", "胰", "肾", "膀胱", "胃", "肠", "心", "尿道", "生殖", "睾丸",
               "子宫"),
    OCCUPATIONAL: ("职业病", "尘肺", "矽肺", "中毒", "放射", "噪声聋", "哮喘"),
}
# Words that would also match a broader 门类 but belong to one only.
_SPECIFIC = {"视神经": SENSORY, "噪声聋": OCCUPATIONAL, "尘肺": OCCUPATIONAL, "矽肺": OCCUPATIONAL, "肋骨": VISCERAL}


def categories_for(*texts: str, kind: str = "") -> tuple[str, ...]:
    """The 门类 the injuries described by `texts` need, in the standard's order; never empty."""
    if kind == "dependant":
        return (OCCUPATIONAL,)
    text = " ".join(t for t in texts if t)
    found = set()
    for word, category in _SPECIFIC.items():
        if word in text:
            found.add(category)
            text = text.replace(word, " ")
    for category, words in KEYWORDS.items():
        if any(word in text for word in words):
            found.add(category)
    if not found:
        return (DEFAULT,)
    return tuple(c for c in CATEGORIES if c in found)


def label(category: str) -> str:
    return LABELS.get(category, category)
