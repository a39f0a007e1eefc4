"""Who may do what with recognition applications.

Applicants: the owning employer (any of its handlers) or the individual who created it. Staff: in
their 统筹区, by role — 受理员 (INTAKE) allocates, accepts, asks for corrections, refuses and
delivers; 调查员 (INVESTIGATOR) investigates; 审核员 (REVIEWER) decides, suspends, resumes (and
may do what the 受理员 does). Missing and forbidden applications answer the same 404.
"""

from gongshang.accounts.choices import Audience, StaffRole
from gongshang.accounts.permissions import audience_required, require_audience, require_role, staff_required
from gongshang.core.errors import Forbidden

ALLOCATE_ROLES = (StaffRole.INTAKE, StaffRole.REVIEWER)
INTAKE_ROLES = (StaffRole.INTAKE, StaffRole.REVIEWER)
INVESTIGATE_ROLES = (StaffRole.INVESTIGATOR, StaffRole.REVIEWER)
DECIDE_ROLES = (StaffRole.REVIEWER,)
WORKBENCH_ROLES = (StaffRole.INTAKE, StaffRole.INVESTIGATOR, StaffRole.REVIEWER)
APPLICANT_AUDIENCES = (Audience.EMPLOYER, Audience.INDIVIDUAL)

applicant_required = audience_required(*APPLICANT_AUDIENCES)
workbench_required = staff_required(*WORKBENCH_ROLES)


def owner_key_for(actor) -> str:
    if actor.kind == Audience.EMPLOYER:
        return f"employer:{actor.employer_id}"
    return f"user:{actor.pk}"


def is_owner(actor, application) -> bool:
    return (getattr(actor, "kind", None) in APPLICANT_AUDIENCES
            and application.owner_key == owner_key_for(actor))


def require_applicant(actor) -> None:
    require_audience(actor, *APPLICANT_AUDIENCES)


def require_owner(actor, application) -> None:
    """The applicant's own application: others may see it (the employer of a worker's
    application) but not change it."""
    if not is_owner(actor, application):
        raise Forbidden("该申请由他人提交，您可以查看进度，但不能修改、提交或撤回。")


def require_staff(actor, *roles) -> None:
    require_role(actor, *roles)
