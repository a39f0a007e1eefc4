"""案卷包 to the province: export a case file as one package and send it.

再次鉴定: the appraisal app builds the package (appraisal/services/province.py: package_build,
application_refer) — an accepted 再次鉴定 is referred to the provincial committee when its package is
exported here, and a referred one reuses the package stored at referral, so the SHA-256 on the
appraisal's timeline is the one of the file sent. 跨统筹区转移: the case of a worker who moves to
another 统筹区 of the province (services/province_manifest.py). Sending records an outbound batch; the
province's answer comes back by an inbound batch (adapters/province.py, services/province_answers.py).
Sending a transfer changes no benefit: the items stop here only when the province confirms that the
target took them over (a worker is never left without payment while it waits)."""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from gongshang.accounts.access import get_for, may, require
from gongshang.appraisal.models import AppraisalApplication
from gongshang.appraisal.rules import codes as appraisal_codes
from gongshang.appraisal.rules import workflow as appraisal_workflow
from gongshang.appraisal.services import province as appraisal_province
from gongshang.benefits.choices import EntitlementStatus, PeriodKind
from gongshang.benefits.models import Entitlement
from gongshang.cases.models import InjuryCase
from gongshang.core.audit import record_event
from gongshang.core.errors import DomainError, FieldErrors, Forbidden
from gongshang.core.files.storage import open_stored
from gongshang.core.models import StoredFile
from gongshang.core.regions import full_name, pooling_regions, province_of
from gongshang.core.workflow import transition

from ..choices import BatchKind, ExchangeEventType, PackagePurpose, PackageStatus, Partner
from ..errors import ExchangeErrorCode
from ..models import CasePackage
from . import province_manifest
from .batches import batch_record_outbound
from .province_files import store_bytes

FORMAT_VERSION = "1.0"
REFERENCE_PREFIX = "SJ"
OPEN_STATUSES = (PackageStatus.EXPORTED, PackageStatus.SENT)
REAPPRAISAL_ONLY_APR = "再次鉴定案卷包由鉴定管理员导出（报送省级劳动能力鉴定委员会）。"
TRANSFER_ONLY_BEN = "跨统筹区转移案卷包由待遇审核员导出（转移的是按月待遇）。"


def reference_next(region: str, year: int) -> str:
    """The next readable reference of the region and year, e.g. SJ-370200-2026-000001."""
    prefix = f"{REFERENCE_PREFIX}-{region}-{year}-"
    last = (CasePackage.objects.filter(reference__startswith=prefix).order_by("-reference")
            .values_list("reference", flat=True).first())
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


def _create_numbered(**fields) -> CasePackage:
    """Insert with the next reference; a concurrent export that took it first makes us take the next."""
    year = timezone.localdate().year
    for _attempt in range(5):
        reference = reference_next(fields["region"], year)
        try:
            with transaction.atomic():
                return CasePackage.objects.create(reference=reference, **fields)
        except IntegrityError:
            continue
    raise DomainError(ExchangeErrorCode.PACKAGE_OPEN, "案卷包编号正被占用，请稍后重试。", status=409)


def _case(actor, case_id) -> InjuryCase:
    """The case of the actor's own 统筹区 (a package leaves the region that holds the case)."""
    found = (InjuryCase.objects.filter(region=actor.jurisdiction or "-", pk=case_id)
             .select_related("person", "employer", "accident").first()) if case_id else None
    if found is None:
        raise FieldErrors({"case_number": "没有找到该案件，或案件不属于您的统筹区，请核对案件编号。"})
    return found


def _refuse_open(case, purpose: str) -> None:
    open_package = CasePackage.objects.filter(case=case, purpose=purpose, status__in=OPEN_STATUSES).first()
    if open_package is not None:
        raise DomainError(ExchangeErrorCode.PACKAGE_OPEN,
                          f"该案件已有尚未得到省级反馈的{open_package.get_purpose_display()}案卷包"
                          f"（编号 {open_package.reference}），请在案卷包列表中查看，不要重复导出。", status=409,
                          details={"reference": open_package.reference})


@transaction.atomic
def package_create(*, actor, purpose: str, case_id: int | None = None, application_id: int | None = None,
                   target_region: str = "") -> CasePackage:
    """导出案卷包: 再次鉴定 (the case's accepted or referred 再次鉴定 application, or `application_id`)
    or 跨统筹区转移 to `target_region`."""
    require(actor, "case_package", "create")
    if purpose not in PackagePurpose.values:
        raise FieldErrors({"purpose": "请选择用途：reappraisal（再次鉴定）或 transfer（跨统筹区转移）"})
    if purpose == PackagePurpose.REAPPRAISAL:
        package = _reappraisal(actor, case_id, application_id)
    else:
        package = _transfer(actor, case_id, (target_region or "").strip())
    record_event(actor=actor, event_type=ExchangeEventType.PACKAGE_EXPORTED, target=package, region=package.region,
                 details={"reference": package.reference, "purpose": package.purpose, "case": package.case.number,
                          "files": len(package.manifest.get("files") or []), "sha256": package.file.sha256})
    return package


def _second_application(case, application_id) -> AppraisalApplication:
    rows = AppraisalApplication.objects.filter(case=case, kind=appraisal_codes.SECOND,
                                               status__in=appraisal_province.PACKAGE_STATUSES)
    if application_id:
        rows = rows.filter(pk=application_id)
    found = rows.order_by("-pk").first()
    if found is None:
        raise DomainError(ExchangeErrorCode.NO_SECOND_APPRAISAL, status=409)
    return found


def _referral_file(application) -> StoredFile | None:
    """The package stored when the application was referred (its SHA-256 is on the appraisal timeline)."""
    event = (application.events.filter(event_type=appraisal_province.PACKAGE_EVENT)
             .order_by("-created_at", "-pk").first())
    stored_id = (event.details or {}).get("stored_file") if event else None
    return StoredFile.objects.filter(pk=stored_id).first() if stored_id else None


def _reappraisal(actor, case_id, application_id) -> CasePackage:
    case = _case(actor, case_id)
    if not may(actor, "appraisal_conclusion", "export_package"):
        raise Forbidden(REAPPRAISAL_ONLY_APR)
    _refuse_open(case, PackagePurpose.REAPPRAISAL)
    application = _second_application(case, application_id)
    if application.status == appraisal_workflow.ACCEPTED:
        appraisal_province.application_refer(actor=actor, application=application)  # 报送省级 with its package
    stored = _referral_file(application)
    if stored is None:  # referred before packages were stored: build it now and keep it
        content, _manifest = appraisal_province.package_build(actor=actor, application=application)
        stored = store_bytes(content, name=f"再次鉴定案卷-{case.number}.zip", content_type="application/zip",
                             prefix="exchange/packages", actor=actor)
    with open_stored(stored) as handle:
        manifest, manifest_sha = province_manifest.read_manifest(handle.read())
    summary = {**province_manifest.masked(manifest), "manifest_sha256": manifest_sha, "package_sha256": stored.sha256}
    return _create_numbered(region=case.region, case=case, purpose=PackagePurpose.REAPPRAISAL, manifest=summary,
                            file=stored, created_by=actor)


def _check_target(actor, target_region: str) -> None:
    own = actor.jurisdiction or ""
    if not target_region:
        error = "请填写转入统筹区的行政区划代码（6 位，如 370700 潍坊市）"
    elif target_region == own:
        error = "转入统筹区不能是本统筹区，请填写职工迁往的统筹区"
    elif target_region not in pooling_regions([province_of(own)] if province_of(own) else None):
        error = f"“{target_region}”不是本省的统筹区代码，请填写本省其他统筹区的 6 位代码（如 370700 潍坊市）"
    else:
        return
    raise FieldErrors({"target_region": error})


def _transfer(actor, case_id, target_region: str) -> CasePackage:
    case = _case(actor, case_id)
    _check_target(actor, target_region)
    if not may(actor, "entitlement", "create"):
        raise Forbidden(TRANSFER_ONLY_BEN)
    _refuse_open(case, PackagePurpose.TRANSFER)
    items = list(Entitlement.objects.filter(case=case, status=EntitlementStatus.ACTIVE, period_kind=PeriodKind.MONTHLY)
                 .order_by("pk"))
    if not items:
        raise DomainError(ExchangeErrorCode.NOTHING_TO_TRANSFER, status=409)
    # The reference goes into the manifest: take it first (an IntegrityError on a race takes the next).
    year = timezone.localdate().year
    for _attempt in range(5):
        reference = reference_next(case.region, year)
        content, manifest = province_manifest.transfer_package(case=case, target_region=target_region,
                                                               entitlements=items, reference=reference)
        stored = store_bytes(content, name=f"转移案卷-{case.number}.zip", content_type="application/zip",
                             prefix="exchange/packages", actor=actor)
        summary = {**province_manifest.masked(manifest), "package_sha256": stored.sha256,
                   "manifest_sha256": hashlib.sha256(province_manifest.manifest_bytes(manifest)).hexdigest()}
        try:
            with transaction.atomic():
                return CasePackage.objects.create(
                    reference=reference, region=case.region, case=case, purpose=PackagePurpose.TRANSFER,
                    target_region=target_region, manifest=summary, file=stored, created_by=actor)
        except IntegrityError:
            continue
    raise DomainError(ExchangeErrorCode.PACKAGE_OPEN, "案卷包编号正被占用，请稍后重试。", status=409)


@transaction.atomic
def package_send(*, actor, package_id: int) -> CasePackage:
    """报送: the stored zip goes to the province as an outbound batch (已生成 → 已报送)."""
    package = get_for(actor, CasePackage.objects.select_related("file", "case"), package_id, "send")
    package = transition(actor, package, "send", event_type=ExchangeEventType.PACKAGE_SENT,
                         code=ExchangeErrorCode.PACKAGE_NOT_EXPORTED, changes={"sent_at": timezone.now()},
                         details={"reference": package.reference, "purpose": package.purpose}, region=package.region)
    with open_stored(package.file) as handle:
        content = handle.read()
    batch = batch_record_outbound(actor=actor, partner=Partner.PROVINCE, kind=BatchKind.CASE_PACKAGE, content=content,
                            name=f"{package.reference}.zip", format_version=FORMAT_VERSION, region=package.region)
    CasePackage.objects.filter(pk=package.pk).update(batch=batch)
    package.batch = batch
    return package


def package_downloaded(*, actor, package) -> None:
    """A download hands out the full ID number inside the zip: logged (without personal data)."""
    record_event(actor=actor, event_type="integrations.package_downloaded", target=package, region=package.region,
                 details={"reference": package.reference, "sha256": package.file.sha256})


def target_label(code: str) -> str:
    return f"{full_name(code) or code}（{code}）" if code else ""


def case_id_for(actor, case_number: str) -> int | None:
    """The id of the case with this number in the actor's 统筹区 (None: package_create names the field)."""
    number = (case_number or "").strip()
    if not number or not getattr(actor, "jurisdiction", ""):
        return None
    return InjuryCase.objects.filter(region=actor.jurisdiction, number=number).values_list("pk", flat=True).first()
