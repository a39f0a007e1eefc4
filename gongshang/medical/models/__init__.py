"""工伤医疗 models, by sub-topic (institutions, catalogues, encounters, settlements, remote, audits,
referrals)."""

from .audits import AuditCampaign, AuditFinding, AuditTeam, AuditTeamMember, AuditVisit
from .catalogues import CatalogueImport, CatalogueItem
from .encounters import BillLine, Deduction, Encounter, LineFlag
from .institutions import AgreementInstitution, MedicalSetting
from .referrals import Referral
from .remote import RemoteRegistration
from .settlements import InstitutionStatement

__all__ = [
    "AgreementInstitution", "AuditCampaign", "AuditFinding", "AuditTeam", "AuditTeamMember", "AuditVisit",
    "BillLine", "CatalogueImport", "CatalogueItem", "Deduction", "Encounter", "InstitutionStatement", "LineFlag",
    "MedicalSetting", "Referral", "RemoteRegistration",
]
