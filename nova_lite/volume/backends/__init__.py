"""Volume backend plugins (stevedore namespace ``nova_lite.volume.backends``)."""
