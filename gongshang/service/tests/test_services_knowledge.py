"""Knowledge base: search, manage, national answers read-only."""

import pytest

from gongshang.core.errors import FieldErrors, Forbidden
from gongshang.core.models import AuditEvent
from gongshang.service.models import KnowledgeArticle
from gongshang.service.selectors.knowledge import knowledge_search
from gongshang.service.services import knowledge as services

from .factories_tickets import hotline, make_article

pytestmark = pytest.mark.django_db


def test_search_every_word_in_question_answer_basis_or_keywords(staff_factory):
    agent = hotline()
    commute = make_article()
    national = make_article(region="", question="工伤认定申请的时限是多久？", answer="单位 30 日内，个人 1 年内。",
                            basis="《工伤保险条例》第十七条", keywords="申请时限")
    make_article(region="370700", question="潍坊本地口径", answer="交通事故", basis="x")
    hidden = make_article(question="已下架的交通事故口径", published=False)
    assert list(knowledge_search(actor=agent, q="交通事故")) == [commute]
    assert list(knowledge_search(actor=agent, q="第十七条")) == [national]
    assert list(knowledge_search(actor=agent, q="上下班 第十七条")) == []
    assert set(knowledge_search(actor=agent, q="交通事故", include_unpublished=True)) == {commute, hidden}
    window = staff_factory("window")
    assert set(knowledge_search(actor=window, q="交通事故", include_unpublished=True)) == {commute}
    assert list(knowledge_search(actor=staff_factory("intake"), q="交通事故")) == []


def test_manage(staff_factory):
    agent = hotline()
    with pytest.raises(FieldErrors) as caught:
        services.article_create(actor=agent, data={"question": "", "answer": "x", "basis": ""})
    assert set(caught.value.errors) == {"question", "basis"}
    article = services.article_create(actor=agent, data={
        "question": "停工留薪期多长？", "answer": "一般不超过 12 个月。", "basis": "《工伤保险条例》第三十三条",
        "keywords": "停工留薪", "category": "consultation"})
    assert article.region == "370200" and article.published
    services.article_update(actor=agent, article=article, data={
        "question": "停工留薪期一般多长？", "answer": "一般不超过 12 个月；伤情严重的经确认可延长，延长不超过 12 个月。",
        "basis": "《工伤保险条例》第三十三条", "category": "consultation"})
    services.article_set_published(actor=agent, article=article, published=False)
    article.refresh_from_db()
    assert article.question == "停工留薪期一般多长？" and not article.published and article.updated_by == agent
    assert AuditEvent.objects.filter(event_type="knowledge_article.unpublished").count() == 1
    with pytest.raises(Forbidden):
        services.article_create(actor=staff_factory("window"), data={"question": "q", "answer": "a", "basis": "b"})
    national = make_article(region="")
    with pytest.raises(Forbidden):
        services.article_set_published(actor=agent, article=national, published=False)
    assert KnowledgeArticle.objects.get(pk=national.pk).published
