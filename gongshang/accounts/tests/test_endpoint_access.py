"""Every page and every API operation × every principal, against the matrix.

The endpoints are enumerated, never listed by hand: the pages from the URL resolver (config.urls,
recursively, without captcha/, the DEBUG media pattern and api/), the API operations from the
ninja API object (every router's path operations). Each endpoint carries its mark: `@permit(kind,
action)` or `@api_permit(kind, action)` sets `view.access = (kind, action)`, `@public` sets
`("public", "")`. `test_every_endpoint_is_marked` lists the endpoints without one.

Each marked endpoint is then called by each principal — anonymous, an individual, an employer
handler, an institution, and a staff account of each of the ten roles, all of the home 统筹区 —
and the answer is compared with `accounts/rules/access.py`:

- anonymous: a page redirects to a login page, the API answers 401 (a public endpoint: neither);
- a principal the matrix refuses: 403 (404 for an outside audience that may not even view the
  kind: `check` tells it nothing);
- a principal the matrix allows, on an object of its own scope: anything but 401, 403, 404 or a
  redirect to a login page (200, 302 elsewhere, 400, 405, 409, 422 are all answers of an allowed
  caller); 403 when the model's Scope condition refuses that object (e.g. an applicant who is only
  told);
- the same allowed principal on the same endpoint with the objects of the other region (another
  employer, another person, another 统筹区): 404.

Safe endpoints are called with GET (a page answering 405 to GET is posted to instead); pages are
posted to with an empty form. API writes send the smallest body their OpenAPI request schema
accepts (required fields only, built by `sample_body`), so the object is loaded and checked: the
access mark answers before the body is read anyway (a 422 to a refused principal is a failure), and
with a valid body an out-of-scope object must answer 404, not 422. Path parameters come from a world of objects (endpoint_world.py):
`pk` from the mark's kind (the model declaring that kind in its `access = Scope(...)`), every
other parameter from the short table PARAMS below. Each cell is one test case, named
`<endpoint>|<principal>|<scope>`; `test_cell_count` prints the counts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver
from ninja.utils import normalize_path

from gongshang.accounts.access import PUBLIC, Scope
from gongshang.accounts.choices import StaffRole
from gongshang.accounts.rules.access import MATRIX, permits
from gongshang.api.api import api

API_ROOT = "/api/v1/"
SKIPPED_PREFIXES = ("captcha/", "api/")  # captcha: a third-party app; api/: enumerated from ninja below
PRINCIPALS = ("anonymous", "individual", "employer", "institution") + tuple(f"staff:{r.value}" for r in StaffRole)
SAFE = {"GET", "HEAD", "OPTIONS"}


# --- enumeration -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Endpoint:
    id: str  # "page quick-reports/inbox/<int:report_id>/" or "api POST /api/v1/quick-reports"
    api: bool
    route: str  # the path with its parameters (<conv:name> for pages, {conv:name} for the API)
    method: str  # the API method; "" for pages (GET, else POST when the page answers 405)
    func: object

    @property
    def params(self) -> tuple[str, ...]:
        pattern = r"\{(?:\w+:)?(\w+)\}" if self.api else r"<(?:\w+:)?(\w+)>"
        return tuple(re.findall(pattern, self.route))

    def path(self, values: dict) -> str:
        pattern = r"\{(?:\w+:)?(\w+)\}" if self.api else r"<(?:\w+:)?(\w+)>"
        return re.sub(pattern, lambda m: str(values[m.group(1)]), self.route)


def mark_of(func):
    """The (kind, action) an endpoint is marked with, through decorators and class-based views."""
    seen = set()
    while func is not None and id(func) not in seen:
        seen.add(id(func))
        for candidate in (func, getattr(func, "view_class", None)):
            access = getattr(candidate, "access", None)
            if isinstance(access, tuple) and len(access) == 2:
                return access
        func = getattr(func, "__wrapped__", None)
    return None


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


@cache
def page_endpoints() -> tuple[Endpoint, ...]:
    found = []
    for route, callback in _walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):  # ^media/: static() under DEBUG
            continue
        found.append(Endpoint(id=f"page /{route}", api=False, route="/" + route, method="", func=callback))
    return tuple(found)


@cache
def api_endpoints() -> tuple[Endpoint, ...]:
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            route = normalize_path("/".join(part for part in (API_ROOT, prefix, path) if part))
            for operation in path_view.operations:
                for method in operation.methods:
                    found.append(Endpoint(id=f"api {method} {route}", api=True, route=route, method=method,
                                          func=operation.view_func))
    return tuple(found)


def endpoints() -> tuple[Endpoint, ...]:
    return page_endpoints() + api_endpoints()


# --- path parameters -------------------------------------------------------------------------------

# Every path parameter but `pk` (which comes from the mark's kind): the world attribute (of the
# region being called: the home one, or the other one for the out-of-scope cells) or a constant.
# Keys are a parameter name, or (endpoint id, parameter name) where one name means different things.
PARAMS = {
    "application_id": "application",
    "report_id": "quick_report",
    "run_id": "payroll_run",
    "change_id": "change",
    "import_id": "roster_import",
    "person_id": "person",
    "employer_id": "employer",
    "case_id": "case",
    "media_id": "media",
    "document_id": "material",  # recognition/<pk>/materials/<document_id>/: a material of the application
    "token_id": "<own token>",  # the caller's own API token (own_account); the other region's handler's token
    "id_number": "person.id_number",
    "code": "quick_report_code",  # /quick-reports/{code}: the code printed to the reporter
    ("page /v/<str:code>/", "code"): "certificate.code",  # 文书核验: the code printed on a document
    ("page /benefits/cases/<int:case_id>/", "case_id"): "benefits_case",
    ("page /benefits/cases/<int:case_id>/decide/", "case_id"): "benefits_case",
    ("page /recognition/<int:pk>/documents/<int:document_id>/", "document_id"): "issued",
    ("page /recognition/<int:pk>/documents/<int:document_id>/receive/", "document_id"): "issued",
    # A document's pages under its application: `pk` is the application, whatever the mark's kind.
    ("page /recognition/<int:pk>/materials/", "pk"): "application",
    ("page /recognition/<int:pk>/materials/<int:document_id>/", "pk"): "application",
    ("page /recognition/<int:pk>/materials/<int:document_id>/remove/", "pk"): "application",
    ("page /recognition/<int:pk>/documents/<int:document_id>/", "pk"): "application",
    ("page /recognition/<int:pk>/documents/<int:document_id>/receive/", "pk"): "application",
    # Names chosen so that the action they dispatch to is one of the mark's kind where one exists.
    ("page /quick-reports/inbox/<int:report_id>/<str:name>/", "name"): "=receive",
    ("page /recognition/<int:pk>/do/<str:name>/", "name"): "=submit",
    ("page /recognition/staff/<int:pk>/<str:name>/", "name"): "=note",
    "kind": "=self",  # quick-reports/new/<kind>/: 本人报告
    ("page /registry/imports/template/<str:kind>.xlsx", "kind"): "=add",
    "view": "=unallocated",  # recognition/staff/list/<view>/
    "variant": "=original",  # quick-reports/media/<id>/<variant>/
    "fmt": "=csv",  # benefits/payroll/<run_id>/bank-file.<fmt>
    "day": "=2026-10-01",  # core/calendar/overrides/<day>/delete/
    "uidb64": "=MQ",  # accounts/activate/<uidb64>/<token>/ (public: a wrong link answers its own page)
    "token": "=set-password",
    "publication_id": "publication",  # 鉴定结论公示: a published line
    "batch_id": "appraisal_batch",
    # 现场稽核
    "campaign_id": "med_campaign",
    "visit_id": "med_visit",
    ("page /medical/audits/visits/<int:pk>/team/", "pk"): "med_visit",
    ("page /medical/audits/visits/<int:pk>/files/<int:file_id>/", "file_id"): "med_audit_file",
}
# 劳动能力鉴定 (conclusions part): `application_id` and `pk` are the appraisal application.
PARAMS.update({(f"api {method} /api/v1/appraisal/applications/{{application_id}}/{tail}", "application_id"): "appraisal"
               for method, tail in (("POST", "conclusion"), ("GET", "conclusion"), ("GET", "conclusion.pdf"),
                                    ("POST", "deliver"), ("POST", "receive"), ("POST", "refer"), ("GET", "package"),
                                    ("POST", "provincial-conclusion"))})
PARAMS.update({(f"page /appraisal/<int:pk>/{tail}", "pk"): "appraisal"
               for tail in ("conclusion/", "conclusion/new/", "conclusion/deliver/", "conclusion/receive/",
                            "conclusion.pdf", "package/", "package.zip", "refer/", "provincial/")})
# 鉴定 batches and exam day (batches part): the drawn batch with the scheduled application whose panel
# holds the home 鉴定专家 (`exam_batch`, `exam_application`, `exam_expert` in endpoint_world).
PARAMS.update({(f"api {method} /api/v1/appraisal/batches/{{batch_id}}{tail}", "batch_id"): "exam_batch"
               for method, tail in (("GET", ""), ("POST", "/assign"), ("POST", "/close"), ("POST", "/draw"),
                                    ("POST", "/finish"), ("GET", "/verification"))})
PARAMS.update({(f"api POST /api/v1/appraisal/applications/{{application_id}}/{action}", "application_id"):
               "exam_application"
               for action in ("check-in", "opinion", "examine", "no-show", "terminate", "visit", "recording")})
PARAMS.update({(f"page /appraisal/batches/<int:pk>/{tail}", "pk"): "exam_batch"
               for tail in ("", "assign/", "close/", "draw/", "exam/", "finish/")})
PARAMS.update({(f"page /appraisal/exam/<int:pk>/{tail}", "pk"): "exam_application"
               for tail in ("check-in/", "examine/", "no-show/", "recording/", "live-photo/", "visit/")})
PARAMS.update({(f"page /appraisal/mine/<int:pk>/{tail}", "pk"): "exam_application"
               for tail in ("", "opinion/", "materials/<int:document_id>/")})
# 工伤医疗: the institution API by its id; the catalogue import pages by the region's import.
PARAMS.update({("api GET /api/v1/medical/institutions/{institution_id}", "institution_id"): "med_institution"})
PARAMS.update({(f"page /medical/catalogue/imports/<int:pk>/{tail}", "pk"): "med_catalogue_import"
               for tail in ("", "errors.csv")})
# 工伤医疗 review desk and monthly statements: the settled encounter and the computed statement.
PARAMS.update({(f"api POST /api/v1/medical/encounters/{{encounter_id}}/{tail}", "encounter_id"): "med_review_encounter"
               for tail in ("approve", "deduct", "query")})
PARAMS.update({(f"page /medical/review/<int:pk>/{tail}", "pk"): "med_review_encounter"
               for tail in ("", "approve/", "deduct/", "query/")})
PARAMS.update({(f"api {method} /api/v1/medical/statements/{{statement_id}}{tail}", "statement_id"): "med_statement"
               for method, tail in (("GET", ""), ("POST", "/approve"), ("POST", "/release"), ("POST", "/paid"))})
PARAMS.update({(f"page /medical/statements/<int:pk>/{tail}", "pk"): "med_statement"
               for tail in ("", "action/", "bank-file.<str:fmt>")})
# 案件留言: the case by its number; the worker's message (with an attachment).
PARAMS.update({"case_number": "case.number", "message_id": "svc_message_applicant"})

# 服务 (工伤预防): plans and projects by their ids in the API; a project is created under its plan.
PARAMS.update({(f"api {method} /api/v1/service/prevention/plans/{{plan_id}}{tail}", "plan_id"): "svc_plan"
               for method, tail in (("GET", ""), ("PUT", ""), ("POST", "/submit"), ("POST", "/approve"),
                                    ("POST", "/return"), ("POST", "/projects"))})
PARAMS.update({(f"api {method} /api/v1/service/prevention/projects/{{project_id}}{tail}", "project_id"): "svc_project"
               for method, tail in (("GET", ""), ("PUT", ""), ("POST", "/approve"), ("POST", "/contract"),
                                    ("POST", "/deliver"), ("POST", "/accept"), ("POST", "/evaluate"), ("POST", "/pay"))})
PARAMS.update({("page /service/prevention/plans/<int:plan_id>/projects/new/", "plan_id"): "svc_plan"})

# 工伤预防培训: ids by name under /service/training/ (the world's trainer, course, session and
# photo), the sign-in code of the world's session on the public pages and API; course and media pages by pk.
_TRAINING = {"trainer_id": "svc_trainer", "course_id": "svc_course", "session_id": "svc_session",
             "media_id": "svc_training_media", "token": "svc_session.sign_in_token"}
PARAMS.update({(e.id, name): _TRAINING[name] for e in endpoints()
               if e.route.startswith(("/api/v1/service/training/", "/service/t/")) for name in e.params
               if name in _TRAINING})
PARAMS.update({(e.id, "pk"): source for e in endpoints()
               for prefix, source in (("/service/training/courses/<int:pk>/", "svc_course"),
                                      ("/service/training/media/<int:pk>/", "svc_training_media"))
               if e.route.startswith(prefix)})

# 好差评: the follow-up of the region's bad rating; the region's closed ticket for the callback.
PARAMS.update({("api POST /api/v1/service/ratings/follow-ups/{follow_up_id}/close", "follow_up_id"): "svc_follow_up",
               ("page /service/ratings/follow-ups/<int:follow_up_id>/", "follow_up_id"): "svc_follow_up",
               ("api POST /api/v1/service/tickets/{ticket_id}/callback", "ticket_id"): "svc_rating_ticket",
               ("page /service/ratings/tickets/<int:ticket_id>/callback/", "ticket_id"): "svc_rating_ticket",
               ("page /service/ratings/report.<str:fmt>", "fmt"): "=csv"})

# 服务 (一窗受理): the matter in the path is the waiting appraisal matter of the region's request.
PARAMS.update({(f"page /service/window/<int:pk>/matters/<str:kind>/{action}/", "kind"): "=appraisal"
               for action in ("prepare", "withdraw")})
PARAMS.update({(f"api POST /api/v1/service/window-requests/{{pk}}/matters/{{kind}}/{action}", "kind"): "=appraisal"
               for action in ("prepare", "withdraw")})
# 服务 (合作经办): the cooperator taken off an investigation is the region's own.
PARAMS.update({("api DELETE /api/v1/service/cooperation/investigations/{application_id}/assistants/{cooperator_id}",
                "cooperator_id"): "staff:cooperator"})

# 数据交换 (batches part): `batch_id` is the region's exchange batch (appraisal's is another kind), the
# dead letter one of its error rows.
PARAMS.update({(e.id, "batch_id"): "exch_batch" for e in endpoints()
               if e.route.startswith(("/api/v1/exchange/batches/", "/exchange/batches/"))})
PARAMS.update({"dead_letter_id": "exch_dead_letter"})
# 数据交换 (入出院通知): the region's notice, linked to its worker's open case.
PARAMS.update({(e.id, "notice_id"): "hosp_notice" for e in endpoints()
               if e.route.startswith(("/exchange/hospital-notices/", "/api/v1/exchange/hospital-notices/"))})
# 数据交换 (deaths): the region's death record (applied) and its open overpayment.
PARAMS.update({"death_id": "exchange_death", "overpayment_id": "exchange_overpayment"})
# 数据交换 (资格认证): the region's certification (a live photo; confirmed by the region's 协议机构).
PARAMS.update({"certification_id": "eligibility_certification",
               ("page /exchange/certifications/<int:certification_id>/photo/<str:which>/", "which"): "=live"})
# 数据交换 (province): the region's transfer package, transfer in and statistics report (`report_id`
# elsewhere is the quick report: keyed by endpoint here).
PARAMS.update({"package_id": "prov_package", "transfer_id": "prov_transfer"})
PARAMS.update({(e.id, "report_id"): "prov_report" for e in endpoints()
               if e.route.startswith(("/exchange/reports/", "/api/v1/exchange/reports/")) and "report_id" in e.params})
# 数据交换 (contributions): the region's open contribution mismatch.
PARAMS.update({"mismatch_id": "exch_mismatch"})

# `pk` is the world object of the model declaring the mark's kind when the region holds exactly one
# object of that model. This table decides otherwise: kinds sharing a model (case documents,
# accounts, the two cases of a region) and models that do not declare their scope yet.
KIND_OBJECT = {
    "case_document.material": "material",
    "case_document.internal": "internal",
    "recognition_document": "issued",
    "staff_account": "staff:intake",
    "own_account": "<own token>",
    "quick_report": "quick_report",
    "case": "case",
    "recognition_application": "application",
    "appraisal_application": "appraisal_application",  # the submitted one (the region also holds a concluded one)
    "person": "person",
    "employer": "employer",
    "enrolment_change": "change",
    "roster_import": "roster_import",
    "certificate": "certificate",
    "entitlement": "entitlement",
    "payment": "payment",
    "payroll_run": "payroll_run",
    "adjustment": "adjustment",
    "parameter": "parameter",
    "audit_event": "audit_event",
    "outbox_message": "outbox_message",
    "remote_registration": "med_remote",
    "medical_referral": "med_referral",
    "medical_encounter": "med_encounter",
    # 服务: 工伤预防
    "prevention_plan": "svc_plan",
    "prevention_project": "svc_project",
    "case_message": "svc_message_applicant",  # 服务: 案件留言
    # 服务: 12333 工单 and the knowledge base.
    "service_ticket": "svc_ticket",
    "knowledge_article": "svc_article",
    # 工伤预防培训
    "prevention_trainer": "svc_trainer",
    "training_session": "svc_session",
    # 好差评
    "service_rating": "svc_rating",
    # 服务: WindowRequest and WindowMatter share the kind; pages and API take the request.
    "window_request": "svc_window",
    "hospital_notice": "hosp_notice",  # 数据交换: 入出院通知
    # 数据交换 (deaths)
    "death_record": "exchange_death",
    "overpayment": "exchange_overpayment",
    # 数据交换: 身份核验 (its pages and API take no object; the world's check is the region's manual one).
    "identity_check": "identity_check",
    "benefit_certification": "eligibility_certification",  # 数据交换: 资格认证
    # 数据交换 (province): CasePackage and TransferIn share the kind.
    "case_package": "prov_package",
    "statistics_report": "prov_report",
    "contribution_mismatch": "exch_mismatch",  # 数据交换: 缴费比对差异
}

# Public endpoints that refuse (403) until the caller proves something other than an account: the
# quick-report code alone opens nothing before its SMS code has been checked (POST /{code}/access).
# Their public cells require only "no 401, no redirect to a login page".
# Actions on a child that are an action on its parent too: adding or removing a material edits the
# application, so the application's condition (only its owner edits) decides as well.
PARENT_ACTIONS = {
    "case_document.material": {"add": "edit", "retire": "edit"},
}

# Endpoints whose allowed, in-scope cell answers 404 because the world's object is not of the sort
# the endpoint acts on (endpoint id → why). Only the "own" cell of an allowed principal may use it.
NOT_APPLICABLE_IN_WORLD = {
    "page /appraisal/exam/<int:pk>/live-photo/": "the world's appraisal application has not checked in: no live photo",
    "page /recognition/<int:pk>/documents/<int:document_id>/receive/":
        "only a 认定决定书 can be received; the world's application is accepted, its document is the 受理通知书",
}

# Pages that take several actions by a form field: the form sent names the mark's action.
PAGE_FORMS = {
    "page /benefits/payroll/<int:run_id>/action/": {"action": "approve"},
    "page /medical/statements/<int:pk>/action/": {"action": "approve"},
}

# Public endpoints that check credentials themselves: 401 is their answer to wrong credentials.
CREDENTIAL_CHECKS = {
    "api POST /api/v1/auth/token": "账号密码错误时答 401",
    "api POST /api/v1/auth/sms-token": "验证码错误时答 401",
}

# Public endpoints that load an object and check it: the reporter's grant (anonymous, by code and
# SMS) or, for a signed-in account, the matrix on the object's kind (endpoint id → (kind, action)).
PUBLIC_OBJECT_CHECKS = {
    "page /quick-reports/media/<int:media_id>/<str:variant>/": ("quick_report", "view"),
}

GRANT_FIRST = {
    "api GET /api/v1/quick-reports/{code}": "查看快报须先凭短信验证码取得授权",
    "api POST /api/v1/quick-reports/{code}/supplements": "补充快报须先凭短信验证码取得授权",
}

# Endpoints whose parameters cannot be built from the world: endpoint id → why. Kept empty unless
# a case arises; test_skip_table_is_current refuses entries naming no endpoint.
SKIP: dict[str, str] = {}


@cache
def kind_models() -> dict:
    """kind → model, from every model's `access = Scope(...)`."""
    found = {}
    for model in apps.get_models():
        scope = model.__dict__.get("access")
        if isinstance(scope, Scope):
            for kind in scope.kinds:
                found.setdefault(kind, model)
    return found


def _param_source(endpoint: Endpoint, name: str, kind: str | None):
    if (endpoint.id, name) in PARAMS:
        return PARAMS[endpoint.id, name]
    if name == "pk":
        return KIND_OBJECT.get(kind) if kind is not None else None
    return PARAMS.get(name)


def _value(source: str, region, principal, world):
    if source.startswith("="):
        return source[1:]
    if source == "<own token>":
        token = principal.token if region is world.home and principal.token is not None else region.token
        return token, token.pk
    if source.startswith("staff:"):
        account = region.staff.get(source.split(":", 1)[1]) or next(iter(region.staff.values()))
        return account, account.pk
    attribute, _, field = source.partition(".")
    obj = getattr(region, attribute)
    if not hasattr(obj, "_meta"):
        return obj
    return obj, getattr(obj, field) if field else obj.pk


def _pk_object(kind: str, region):
    """The world object of `kind` by its model when the kind's model is declared and unambiguous."""
    model = kind_models().get(kind)
    if model is None:
        return None
    matches = [obj for obj in region.objects() if type(obj) is model]
    return matches[0] if len(matches) == 1 else None


def has_object_param(endpoint: Endpoint, kind: str) -> bool:
    """Whether a path parameter names an object of a region (not a constant such as `day`)."""
    sources = [_param_source(endpoint, name, kind) for name in endpoint.params]
    return any(source is None or not source.startswith("=") for source in sources)


def build_path(endpoint: Endpoint, kind: str | None, region, principal, world) -> tuple[str, list]:
    """The URL for `endpoint` with the objects of `region`, and those objects (for the condition)."""
    values, objects = {}, []
    for name in endpoint.params:
        by_kind = (name == "pk" and kind is not None and (endpoint.id, name) not in PARAMS
                   and KIND_OBJECT.get(kind) != "<own token>")  # one's own token, not a region's
        obj = _pk_object(kind, region) if by_kind else None
        if obj is not None:
            values[name] = obj.pk
            objects.append(obj)
            continue
        source = _param_source(endpoint, name, kind)
        if source is None:
            raise LookupError(f"{endpoint.id}: no value for the path parameter {name!r}")
        value = _value(source, region, principal, world)
        if isinstance(value, tuple):
            objects.append(value[0])
            value = value[1]
        values[name] = value
    return endpoint.path(values), objects


# --- expectations ----------------------------------------------------------------------------------

def _audience(label: str) -> tuple[str, tuple[str, ...]]:
    if label.startswith("staff:"):
        return "staff", (label.split(":", 1)[1],)
    return label, ()


def allowed(kind: str, action: str, label: str) -> bool:
    audience, roles = _audience(label)
    return label != "anonymous" and permits(kind, action, audience=audience, roles=roles)


def actions_taken(endpoint: Endpoint, mark) -> list[str]:
    """The mark's action, and the action a `name` parameter dispatches to when it is one of the kind."""
    kind, action = mark
    actions = [action]
    source = _param_source(endpoint, "name", kind) if "name" in endpoint.params else None
    if source and source.startswith("="):
        named = source[1:].replace("-", "_")
        if named in MATRIX.get(kind, {}) and named != action:
            actions.append(named)
    return actions


def _login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303, 307) and "/accounts/login" in response.get("Location", "")


def _condition_refuses(principal, objects, kind: str, actions) -> bool:
    parent_actions = [PARENT_ACTIONS.get(kind, {}).get(action) for action in actions]
    parent_actions = [a for a in parent_actions if a]
    for obj in objects:
        scope = type(obj).__dict__.get("access")
        if not isinstance(scope, Scope) or scope.condition is None:
            continue
        if kind in scope.kinds and any(not scope.condition(principal.user, obj, action) for action in actions):
            return True
        if kind not in scope.kinds and any(not scope.condition(principal.user, obj, a) for a in parent_actions):
            return True
    return False


# --- the cells -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    endpoint: Endpoint
    principal: str
    scope: str  # "own" (the home region's objects, or no object) or "other" (the other region's)

    @property
    def id(self) -> str:
        return f"{self.endpoint.id}|{self.principal}|{self.scope}"


def cells() -> list:
    params = []
    for endpoint in endpoints():
        mark = mark_of(endpoint.func)
        if mark is None:
            params.extend(pytest.param(Cell(endpoint, p, "own"), id=Cell(endpoint, p, "own").id,
                                       marks=pytest.mark.skip(reason="not marked yet")) for p in PRINCIPALS)
            continue
        if endpoint.id in SKIP:
            params.append(pytest.param(Cell(endpoint, "*", "own"), id=Cell(endpoint, "*", "own").id,
                                       marks=pytest.mark.skip(reason=SKIP[endpoint.id])))
            continue
        params.extend(pytest.param(Cell(endpoint, p, "own"), id=Cell(endpoint, p, "own").id) for p in PRINCIPALS)
        if mark != PUBLIC and has_object_param(endpoint, mark[0]):
            params.extend(pytest.param(Cell(endpoint, p, "other"), id=Cell(endpoint, p, "other").id)
                          for p in PRINCIPALS if all(allowed(mark[0], a, p) for a in actions_taken(endpoint, mark)))
    return params


CELLS = cells()


# --- the world (once per module, rolled back at the end; each cell runs in its own savepoint) -------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction

    from gongshang.accounts.tests.endpoint_world import build_world

    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("endpoint-media")))
    media.enable()
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            built = build_world()
            for principal in built.principals.values():
                if principal.user is not None:
                    client = Client()
                    client.force_login(principal.user)
                    principal.session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            media.disable()


# Request bodies whose sample from the schema would name no object of the world (an id such as 1
# exists or not depending on which tests ran before): field → "=literal" or the region's object.
BODY_FIELDS = {
    "api POST /api/v1/service/ratings": {"matter": "=benefits", "matter_id": "benefits_case"},
}


def _body_fields(endpoint_id: str, region) -> dict:
    fields = {}
    for name, source in BODY_FIELDS.get(endpoint_id, {}).items():
        fields[name] = source[1:] if source.startswith("=") else getattr(region, source).pk
    return fields


def call(cell: Cell, path: str, principal, region=None):
    client = Client()
    headers = {}
    if principal.user is not None:
        if cell.endpoint.api:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {principal.api_key}"
        else:
            client.cookies[settings.SESSION_COOKIE_NAME] = principal.session_key
    if cell.endpoint.api:
        method = cell.endpoint.method
        if method in SAFE:
            return client.generic(method, path, **headers)
        content_type, body = sample_body(cell.endpoint)
        if region is not None and cell.endpoint.id in BODY_FIELDS:
            body.update(_body_fields(cell.endpoint.id, region))
        if content_type == "multipart":
            return client.generic(method, path, encode_multipart(BOUNDARY, body),
                                  content_type=MULTIPART_CONTENT, **headers)
        return client.generic(method, path, json.dumps(body), content_type="application/json", **headers)
    response = client.get(path, **headers)
    if response.status_code == 405:
        response = client.post(path, PAGE_FORMS.get(cell.endpoint.id, {}), **headers)
    return response


@cache
def _openapi() -> dict:
    return api.get_openapi_schema(path_prefix=API_ROOT)


def _resolve(schema: dict, root: dict) -> dict:
    while "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _sample(schema: dict, root: dict):
    """The smallest value `schema` accepts: required properties only, first enum member, a date for
    dates, a small file for binary strings."""
    schema = _resolve(schema, root)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(o, root).get("type") != "null"]
            return _sample(options[0], root)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: _sample(props[name], root) for name in schema.get("required", []) if name in props}
    if kind == "array":
        return [_sample(schema.get("items", {}), root) for _ in range(schema.get("minItems", 0))]
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    fmt = schema.get("format")
    if fmt == "binary":
        return SimpleUploadedFile("sample.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    if fmt == "date":
        return "2026-11-02"
    if fmt == "date-time":
        return "2026-11-02T10:00:00+08:00"
    return "测试" * max(1, (schema.get("minLength") or 1 + 1) // 2)


def sample_body(endpoint: Endpoint) -> tuple[str, dict]:
    """("json" | "multipart", body) for an API write, from its OpenAPI request schema."""
    root = _openapi()
    operation = root["paths"].get(endpoint.route, {}).get(endpoint.method.lower(), {})
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        return "multipart", _sample(content["multipart/form-data"]["schema"], root)
    if "application/json" in content:
        return "json", _sample(content["application/json"]["schema"], root)
    return "json", {}


@pytest.mark.django_db
@pytest.mark.parametrize("cell", CELLS)
def test_cell(cell: Cell, world):
    endpoint = cell.endpoint
    kind, action = mark_of(endpoint.func)
    principal = world.principals[cell.principal]
    region = world.other if cell.scope == "other" else world.home
    path, objects = build_path(endpoint, None if (kind, action) == PUBLIC else kind, region, principal, world)
    response = call(cell, path, principal, region)
    status = response.status_code
    seen = f"{endpoint.id} as {cell.principal} ({cell.scope}): {status} {response.get('Location', '')}".strip()

    if (kind, action) == PUBLIC:
        refused = (401,) if endpoint.id in GRANT_FIRST else (401, 403)
        if endpoint.id in CREDENTIAL_CHECKS:
            refused = (403,)
        if endpoint.id in PUBLIC_OBJECT_CHECKS and principal.user is not None:
            object_kind, object_action = PUBLIC_OBJECT_CHECKS[endpoint.id]
            if not allowed(object_kind, object_action, cell.principal):
                assert status in (403, 404), f"the object's matrix refuses {object_kind}.{object_action}: {seen}"
                return
        assert status not in refused and not _login_redirect(response), f"public endpoint refused: {seen}"
        return
    if principal.user is None:
        if endpoint.api:
            assert status == 401, f"anonymous must get 401: {seen}"
        else:
            assert _login_redirect(response), f"anonymous must be sent to a login page: {seen}"
        return
    actions = actions_taken(endpoint, (kind, action))
    audience, _ = _audience(cell.principal)
    if not all(allowed(kind, a, cell.principal) for a in actions):
        hidden = audience != "staff" and not allowed(kind, "view", cell.principal)
        expected = {403, 404} if hidden else {403}
        hint = " (422: validation ran before the access check)" if status == 422 else ""
        assert status in expected, f"the matrix refuses {kind}.{'/'.join(actions)}: {seen}{hint}"
        return
    if cell.scope == "other":
        hint = " (422: validation ran before the object was loaded)" if status == 422 else ""
        assert status == 404, f"another employer/person/统筹区's object must answer 404: {seen}{hint}"
        return
    if _condition_refuses(principal, objects, kind, actions):
        assert status == 403, f"the scope condition refuses this object: {seen}"
        return
    if status == 404 and endpoint.id in NOT_APPLICABLE_IN_WORLD:
        return
    assert status not in (401, 403, 404) and not _login_redirect(response), \
        f"the matrix allows {kind}.{'/'.join(actions)} on an object in scope: {seen}"


# --- the safety net and the bookkeeping ------------------------------------------------------------

def test_every_endpoint_is_marked():
    """Every page view and API function carries @permit/@api_permit/@public (one access model)."""
    unmarked = [e.id for e in endpoints() if mark_of(e.func) is None]
    assert not unmarked, f"{len(unmarked)} endpoints without a mark:\n" + "\n".join(unmarked)


def test_marks_name_matrix_entries():
    wrong = [f"{e.id}: {mark}" for e in endpoints() if (mark := mark_of(e.func)) not in (None, PUBLIC)
             and mark[1] not in MATRIX.get(mark[0], {})]
    assert not wrong, "marks naming no kind/action of accounts/rules/access.py:\n" + "\n".join(wrong)


def test_every_path_parameter_can_be_built():
    """Each parameter of each endpoint has a source: `pk` by the mark's kind, the rest by PARAMS."""
    missing = []
    for endpoint in endpoints():
        mark = mark_of(endpoint.func)
        if endpoint.id in SKIP:
            continue
        for name in endpoint.params:
            if name == "pk":
                if mark is not None and mark != PUBLIC and mark[0] not in KIND_OBJECT \
                        and mark[0] not in kind_models():
                    missing.append(f"{endpoint.id}: pk of kind {mark[0]}")
            elif _param_source(endpoint, name, None) is None:
                missing.append(f"{endpoint.id}: {name}")
    assert not missing, "path parameters without a source (add them to PARAMS or SKIP):\n" + "\n".join(missing)


def test_skip_table_is_current():
    ids = {e.id for e in endpoints()}
    stale = [key for key in (*SKIP, *GRANT_FIRST, *NOT_APPLICABLE_IN_WORLD, *PAGE_FORMS, *CREDENTIAL_CHECKS, *PUBLIC_OBJECT_CHECKS)
             if key not in ids]
    assert not stale, f"SKIP or GRANT_FIRST name endpoints that no longer exist: {stale}"
    keyed = [key[0] for key in PARAMS if isinstance(key, tuple) and key[0] not in ids]
    assert not keyed, f"PARAMS names endpoints that no longer exist: {keyed}"


def test_enumeration_finds_the_known_corners():
    """The walk reaches nested includes, router sub-prefixes and every HTTP method."""
    ids = {e.id for e in endpoints()}
    assert "page /recognition/staff/<int:pk>/<str:name>/" in ids
    assert "page /" in ids
    assert "api GET /api/v1/registry/roster-imports/{int:import_id}" in ids
    assert {"api GET /api/v1/recognition/applications/{application_id}",
            "api PUT /api/v1/recognition/applications/{application_id}",
            "api DELETE /api/v1/recognition/applications/{application_id}"} <= ids
    assert not any(i.startswith(("page /captcha/", "page /api/", "page /^media")) for i in ids)


def test_cell_count(capsys):
    pages, operations = page_endpoints(), api_endpoints()
    marked = [e for e in endpoints() if mark_of(e.func) is not None]
    run = [c for c in CELLS if not c.marks]
    other = [c for c in run if c.values[0].scope == "other"]
    with capsys.disabled():
        print(f"\nendpoint access: {len(pages)} pages, {len(operations)} API operations, {len(marked)} marked; "
              f"{len(CELLS)} cells, {len(run)} run ({len(other)} out of scope), "
              f"{len(CELLS) - len(run)} skipped (not marked yet or SKIP)")
    assert len(pages) > 100 and len(operations) > 70
