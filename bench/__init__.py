"""Speed and memory benchmark: ``python -m bench.run`` (``make bench``)."""
