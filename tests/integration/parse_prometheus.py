#!/usr/bin/env python3
"""Parses a Prometheus text exposition (format 0.0.4) with the reference
Python client's parser (Debian: python3-prometheus-client) and prints what
it read as JSON, for tests/integration/metrics_test.cc:

  {"families": [{"name", "type", "documentation"}],
   "samples": [{"name", "labels", "value"}]}

Usage: parse_prometheus.py FILE. Exit status 1 (message on stderr) when
the parser rejects the text, or a family appears twice (Prometheus's own
parser refuses that).
"""
import json
import math
import sys

from prometheus_client.parser import text_string_to_metric_families


def main():
    with open(sys.argv[1], encoding='utf-8') as f:
        text = f.read()
    families = []
    samples = []
    try:
        for family in text_string_to_metric_families(text):
            # Prometheus itself refuses a second TYPE line for a family.
            if any(f['name'] == family.name for f in families):
                raise ValueError(f'family {family.name} appears twice')
            families.append({'name': family.name, 'type': family.type,
                             'documentation': family.documentation})
            for sample in family.samples:
                value = sample.value
                samples.append({'name': sample.name,
                                'labels': dict(sample.labels),
                                'value': value if math.isfinite(value)
                                else str(value)})
    except Exception as error:  # the parser's ValueError and friends
        print(f'parse_prometheus: {error!r}', file=sys.stderr)
        return 1
    json.dump({'families': families, 'samples': samples}, sys.stdout)
    return 0


if __name__ == '__main__':
    sys.exit(main())
