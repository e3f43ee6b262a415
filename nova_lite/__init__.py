"""nova_lite: a small, real IaaS control plane in the OpenStack mould."""

import sys as _sys
import warnings as _warnings

from nova_lite.common import warnings_log as _warnings_log

# futurist imports eventlet when it is installed (oslo.service still depends on
# it) and eventlet warns on import. nova_lite never uses eventlet: keep it out
# of the process (about 10 MB resident and 270 modules, dnspython's included,
# in every daemon), as the libraries that look for it do so with an import
# that may fail. The filter stays for a process that imported it before us.
_sys.modules.setdefault('eventlet', None)  # type: ignore[arg-type]
_warnings.filterwarnings('ignore', message='\nEventlet is deprecated')

# oslo.service picks its backend the first time anything (oslo.messaging
# included) asks for one, and would pick eventlet. nova_lite runs on threads:
# choose the threading backend before any nova_lite module imports a library
# that uses oslo.service. This selects a library mode; it reads no configuration.
# What the libraries warn about meanwhile (dnspython, imported through futurist
# and eventlet, about cryptography's DSA) is kept for the log, not printed.
with _warnings_log.recorded_while():
    from oslo_service import backend as _oslo_service_backend

    if _oslo_service_backend.get_backend_type() is None:
        _oslo_service_backend.init_backend(_oslo_service_backend.BackendType.THREADING)
