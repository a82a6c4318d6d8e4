from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "xieshang.insights"
    label = "insights"
    verbose_name = _("Triage aids")

    def ready(self) -> None:
        from xieshang.insights import receivers, rules  # noqa: F401

        receivers.connect()

        limit_blas_threads()


# BLAS threads per process. Every web worker and Celery worker is one of several processes
# on the machine's cores; OpenBLAS's default of one thread per core made each matrix product
# of a similar-suggestions check spin both cores (84 ms of CPU for 46 ms of work at 1,700
# embeddings; 37 ms with one thread, in the same time).
BLAS_THREADS = 1


def limit_blas_threads() -> None:
    import numpy  # noqa: F401  (loads the BLAS library the limit applies to)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=BLAS_THREADS, user_api="blas")
