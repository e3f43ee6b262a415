"""The volume flows' tasks: the records' states (:mod:`.volume_records`,
:mod:`.snapshot_records`) and the backend's storage (:mod:`.storage`)."""
