from .entitlements import Adjustment, CaseConclusion, Entitlement, EntitlementAmountChange
from .parameters import Parameter
from .payroll import BankReturn, BankReturnLine, Payment, PayrollRun

__all__ = ["Adjustment", "BankReturn", "BankReturnLine", "CaseConclusion", "Entitlement", "EntitlementAmountChange",
           "Parameter", "Payment", "PayrollRun"]
