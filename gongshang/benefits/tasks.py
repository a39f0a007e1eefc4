"""Background payroll computation (django-tasks finds it by this import path). Large runs are
computed here; if no worker runs, the run stays 计算中 and the page's 继续计算 button (or POST
/payroll-runs again) finishes it inline from its cursor."""

from django_tasks import task


@task()
def compute_payroll_run(run_id: int) -> str:
    from .models import PayrollRun
    from .services.payroll import run_compute

    return run_compute(run=PayrollRun.objects.get(pk=run_id)).status
