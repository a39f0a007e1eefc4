from django.urls import path

from .views import adjustments, calculator, entitlements, parameters, payroll, portal

app_name = "benefits"
urlpatterns = [
    path("calculator/", calculator.calculator_page, name="calculator"),
    path("my/", portal.my_statements, name="my_statements"),
    path("parameters/", parameters.parameter_list, name="parameter_list"),
    path("parameters/new/", parameters.parameter_create, name="parameter_create"),
    path("parameters/<int:pk>/correct/", parameters.parameter_correct_view, name="parameter_correct"),
    path("entitlements/", entitlements.entitlement_list, name="entitlement_list"),
    path("entitlements/case/", entitlements.case_lookup, name="case_lookup"),
    path("entitlements/<int:pk>/action/", entitlements.entitlement_action, name="entitlement_action"),
    path("cases/<int:case_id>/", entitlements.case_benefits, name="case_benefits"),
    path("cases/<int:case_id>/decide/", entitlements.case_decide, name="case_decide"),
    path("payroll/", payroll.payroll_list, name="payroll_list"),
    path("payroll/<int:run_id>/", payroll.payroll_detail, name="payroll_detail"),
    path("payroll/<int:run_id>/action/", payroll.payroll_action, name="payroll_action"),
    path("payroll/<int:run_id>/bank-file.<str:fmt>", payroll.payroll_bank_file, name="payroll_bank_file"),
    path("adjustments/", adjustments.adjustment_list, name="adjustment_list"),
    path("adjustments/<int:pk>/", adjustments.adjustment_detail, name="adjustment_detail"),
]
