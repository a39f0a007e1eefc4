from .batches import DeadLetter, ExchangeBatch
from .contributions import ContributionMismatch
from .deaths import DeathRecord, Overpayment
from .eligibility import Certification
from .hospitals import HospitalNotice
from .identity import IdentityCheck
from .province import CasePackage, StatisticsReport, TransferIn

__all__ = [
    "CasePackage", "Certification", "ContributionMismatch", "DeadLetter", "DeathRecord", "ExchangeBatch",
    "HospitalNotice", "IdentityCheck", "Overpayment", "StatisticsReport", "TransferIn",
]
