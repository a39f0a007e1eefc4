"""热线知识库: answers agents give, each with the article it rests on. Managed by the 热线坐席 of the
统筹区 (济宁: agents coached on the whole 工伤 chain); national answers are read-only here."""

from django.db import transaction

from gongshang.accounts.access import check, require
from gongshang.core.audit import record_event
from gongshang.core.errors import FieldErrors, Forbidden

from ..choices import TicketCategory
from ..errors import ServiceErrorCode as E
from ..models import KnowledgeArticle

LIMITS = {"question": (200, "问题"), "answer": (4000, "答复口径"), "basis": (300, "政策依据"),
          "keywords": (200, "关键词")}


def _clean(data: dict) -> dict:
    values, errors = {}, {}
    for name, (limit, label) in LIMITS.items():
        value = (data.get(name) or "").strip()
        if not value and name != "keywords":
            errors[name] = f"请填写{label}（{name}）"
        elif len(value) > limit:
            errors[name] = f"{label}（{name}）最多 {limit} 字"
        values[name] = value
    category = data.get("category") or TicketCategory.CONSULTATION
    if category not in TicketCategory.values:
        errors["category"] = "类别（category）请选择：" + "、".join(f"{label}（{code}）"
                                                               for code, label in TicketCategory.choices)
    values["category"] = category
    if errors:
        raise FieldErrors(errors)
    return values


def article_create(*, actor, data: dict) -> KnowledgeArticle:
    require(actor, "knowledge_article", "manage")
    values = _clean(data)
    with transaction.atomic():
        article = KnowledgeArticle.objects.create(region=actor.jurisdiction, updated_by=actor,
                                                  published=bool(data.get("published", True)), **values)
        record_event(actor=actor, event_type="knowledge_article.created", target=article, region=article.region,
                     details={"question": article.question})
    return article


def _editable(actor, article) -> None:
    check(actor, article, "manage")
    if not article.region:
        raise Forbidden(E.ARTICLE_NATIONAL.label)


def article_update(*, actor, article: KnowledgeArticle, data: dict) -> KnowledgeArticle:
    _editable(actor, article)
    values = _clean(data)
    with transaction.atomic():
        locked = KnowledgeArticle.objects.select_for_update().get(pk=article.pk)
        for name, value in values.items():
            setattr(locked, name, value)
        if "published" in data:
            locked.published = bool(data["published"])
        locked.updated_by = actor
        locked.save()
        record_event(actor=actor, event_type="knowledge_article.updated", target=locked, region=locked.region,
                     details={"question": locked.question})
    return locked


def article_set_published(*, actor, article: KnowledgeArticle, published: bool) -> KnowledgeArticle:
    """发布 / 下架 (an unpublished answer stays, agents no longer find it)."""
    _editable(actor, article)
    with transaction.atomic():
        locked = KnowledgeArticle.objects.select_for_update().get(pk=article.pk)
        locked.published = published
        locked.updated_by = actor
        locked.save(update_fields=["published", "updated_by", "updated_at"])
        record_event(actor=actor, event_type="knowledge_article.published" if published
                     else "knowledge_article.unpublished", target=locked, region=locked.region,
                     details={"question": locked.question})
    return locked
