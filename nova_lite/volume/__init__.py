"""Block storage service: volumes, their backends and attachments."""
