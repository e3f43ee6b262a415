"""Thin entry points: parse configuration, set up logging, run one thing.

Importing this package (every console script does, before anything else of
its command) sends Python warnings to the log: they are held until
:func:`nova_lite.cmd.config.parse_args` has set logging up.
"""

from nova_lite.common import warnings_log as _warnings_log

_warnings_log.hold()
