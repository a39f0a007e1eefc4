"""热线知识库 pages: search (agents, the window, 合作经办), add, edit, 下架/发布 (热线坐席)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from gongshang.accounts.access import get_for, may, permit
from gongshang.core.errors import DomainError
from gongshang.web.errors import add_errors_to_form, flash_refusal

from ..models import KnowledgeArticle
from ..selectors.knowledge import knowledge_search
from ..services import knowledge as services
from .tickets_forms import ArticleForm, KnowledgeSearchForm


@permit("knowledge_article", "view")
def knowledge_list(request):
    form = KnowledgeSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    manage = may(request.user, "knowledge_article", "manage")
    qs = knowledge_search(actor=request.user, q=data.get("q", ""), category=data.get("category", ""),
                          include_unpublished=manage)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "service/tickets/knowledge_list.html", {
        "form": form, "page": page, "articles": page.object_list, "query": query.urlencode(), "may_manage": manage,
        "searched": bool(data.get("q") or data.get("category"))})


def _save(request, form, run, template_context: dict):
    if form.is_valid():
        try:
            article = run(form.cleaned_data)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            add_errors_to_form(form, exc)
        else:
            messages.success(request, "知识库条目已保存。")
            return redirect(f"{_list_url()}?q={article.question[:20]}")
    return render(request, "service/tickets/knowledge_form.html", {"form": form, **template_context},
                  status=422 if form.is_bound else 200)


def _list_url() -> str:
    from django.urls import reverse

    return reverse("service:knowledge_list")


@permit("knowledge_article", "manage")
def knowledge_new(request):
    form = ArticleForm(request.POST or None, initial={"published": True})
    return _save(request, form, lambda d: services.article_create(actor=request.user, data=d), {"article": None})


@permit("knowledge_article", "manage")
def knowledge_edit(request, pk: int):
    article = get_for(request.user, KnowledgeArticle, pk, "manage")
    initial = {name: getattr(article, name) for name in ("question", "answer", "basis", "keywords", "category",
                                                         "published")}
    form = ArticleForm(request.POST or None, initial=initial)
    return _save(request, form, lambda d: services.article_update(actor=request.user, article=article, data=d),
                 {"article": article})


@require_POST
@permit("knowledge_article", "manage")
def knowledge_publish(request, pk: int):
    article = get_for(request.user, KnowledgeArticle, pk, "manage")
    publish = request.POST.get("published") == "1"
    try:
        services.article_set_published(actor=request.user, article=article, published=publish)
    except DomainError as exc:
        flash_refusal(request, exc)
    else:
        messages.success(request, "已发布，坐席可以检索到该条目。" if publish else "已下架，坐席不再检索到该条目。")
    return redirect("service:knowledge_list")


urlpatterns = [
    path("knowledge/", knowledge_list, name="knowledge_list"),
    path("knowledge/new/", knowledge_new, name="knowledge_new"),
    path("knowledge/<int:pk>/edit/", knowledge_edit, name="knowledge_edit"),
    path("knowledge/<int:pk>/publish/", knowledge_publish, name="knowledge_publish"),
]
