"""nova_lite: a small, real IaaS control plane in the OpenStack mould."""

import warnings as _warnings

# futurist imports eventlet when it is installed (oslo.service still depends on
# it) and eventlet warns on import. nova_lite never uses eventlet.
_warnings.filterwarnings('ignore', message='\nEventlet is deprecated')

from oslo_service import backend as _oslo_service_backend  # noqa: E402

# oslo.service picks its backend the first time anything (oslo.messaging
# included) asks for one, and would pick eventlet. nova_lite runs on threads:
# choose the threading backend before any nova_lite module imports a library
# that uses oslo.service. This selects a library mode; it reads no configuration.
if _oslo_service_backend.get_backend_type() is None:
    _oslo_service_backend.init_backend(_oslo_service_backend.BackendType.THREADING)
