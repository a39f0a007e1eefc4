"""Reads of the 热线知识库: search by words in the question, the answer, the basis or the keywords."""

from django.db.models import Q, QuerySet

from gongshang.accounts.access import may, restrict

from ..choices import TicketCategory
from ..models import KnowledgeArticle


def knowledge_search(*, actor, q: str = "", category: str = "", include_unpublished: bool = False,
                     ) -> QuerySet[KnowledgeArticle]:
    """The national and regional answers the actor may read; every word of `q` must appear in the
    question, answer, basis or keywords (icontains: the same on SQLite and PostgreSQL)."""
    qs = restrict(actor, KnowledgeArticle, "view")
    if not (include_unpublished and may(actor, "knowledge_article", "manage")):
        qs = qs.filter(published=True)
    for word in (q or "").split()[:8]:
        word = word[:50]
        qs = qs.filter(Q(question__icontains=word) | Q(answer__icontains=word) | Q(basis__icontains=word)
                       | Q(keywords__icontains=word))
    if category in TicketCategory.values:
        qs = qs.filter(category=category)
    return qs.order_by("question", "pk")
