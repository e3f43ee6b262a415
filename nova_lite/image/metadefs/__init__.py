"""The metadata definitions catalog (glance's metadefs): namespaces and their contents.

A namespace holds property definitions, objects and tags, and is associated
with the resource types its properties apply to. Public namespaces are seen
by everyone, private ones by their owner's project (and admins); the REST
layer's policy decides who may write. Every store method runs in one
transaction.
"""
