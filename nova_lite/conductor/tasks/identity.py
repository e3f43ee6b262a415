"""The authenticate task: the user's token becomes the boot's request context."""

from __future__ import annotations

import logging
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.conductor import token_seal
from nova_lite.conductor.flows import keys
from nova_lite.conductor.tasks import base

LOG = logging.getLogger(__name__)


class Authenticate(base.FlowTask):
    """Validates the user's token with identity and provides the context.

    Steps 4-5: identity answers with the user, project and roles; the rest of
    the flow acts with exactly that context and the same token. The token
    comes sealed (the store holds it only so) and is unsealed here, in memory,
    to be validated; the context provided keeps the sealed token, which each
    task unseals for its own calls.

    Reversion strategy: nothing to undo (validation has no side effect).
    """

    def __init__(self, identity: protocols.IdentityClient, sealer: token_seal.TokenSealer,
                 **kwargs: Any) -> None:
        super().__init__(keys.AUTHENTICATE, requires=[keys.INSTANCE_ID, keys.SEALED_TOKEN],
                         provides=keys.CONTEXT, **kwargs)
        self._identity = identity
        self._sealer = sealer

    def execute(self, instance_id: str, sealed_token: str,
                request_ids: nl_context.RequestIds | None = None) -> dict[str, Any]:
        """``request_ids`` (optional: boots saved before had none) are the boot request's."""
        ctx = self._identity.context_from_token(self._sealer.unseal(sealed_token))
        if request_ids is not None:
            nl_context.set_request_ids(ctx, request_ids)
        return base.sealed_context_dict(ctx, sealed_token)
