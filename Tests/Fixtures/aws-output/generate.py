#!/usr/bin/env python3
"""Regenerates the expected outputs under Tests/Fixtures/aws-output and Tests/Fixtures/jmespath.

The Swift tests compare cinch's output with these files and never run Python; this script is
how the files were made, from the aws CLI's own code:

* json, text, table: the formatter classes of the installed aws CLI (`awscli.formatter`:
  JSONFormatter, TextFormatter, TableFormatter; the same rules as aws CLI v2's), with
  `--color off` and an 80-column terminal, and botocore's PageIterator for paginated operations.
* yaml, yaml-stream: aws CLI v2's YAML dumper, reconstructed here because aws CLI v1 has no
  yaml output: ruamel.yaml 0.17.21 (the version aws CLI v2 pinned) with its C emitter, as the
  aws CLI v2 installers bundle it (`_ruamel_yaml`, libyaml's emitter: a multi-line string is
  single-quoted and folded, an emoji is escaped; the pure-Python emitter double-quotes both),
  `YAML(typ='safe', pure=False)`, `default_flow_style = False`, and JSON for a bare scalar
  (aws-cli PR #3721). `yaml-stream` dumps `[page]`. The script refuses to run without the C
  emitter (`pip install ruamel.yaml.clib`).
* jmespath: the `jmespath` package the aws CLI depends on (1.x).

Setup (once):  python3 -m venv --system-site-packages /tmp/awsout-venv
               /tmp/awsout-venv/bin/pip install awscli jmespath 'ruamel.yaml==0.17.21' ruamel.yaml.clib
Run:           /tmp/awsout-venv/bin/python Tests/Fixtures/aws-output/generate.py

Each aws-output case is a folder with `case.json`:
  {"operation": "GetParameter", "response": {...},
   "pagination": {"resultKeys": [...], "nonAggregateKeys": [...], "outputToken": "NextToken"},
   "queries": {"name": "JMESPath expression", ...}}
and gets expected/<format>.txt, plus expected/query-<name>.<format>.txt per query
(<...>.error.txt holding the message where the aws CLI itself fails).
Each jmespath case is a folder with `cases.json` ([{"expression", "data"}, ...]) and gets
expected/results.json ([{"result": <json.dumps of the result>} or {"error", "phase"}]).
"""
import io
import json
import pathlib
import sys
from argparse import Namespace

import jmespath
from botocore.paginate import PageIterator
from ruamel.yaml import YAML

from awscli.formatter import JSONFormatter, TableFormatter, TextFormatter

HERE = pathlib.Path(__file__).resolve().parent
JMESPATH_DIR = HERE.parent / 'jmespath'


class OnePage(PageIterator):
    """A paginated response of one page whose output token is the resume token."""

    def __init__(self, page, pagination):
        output_token = pagination.get('outputToken', 'NextToken')
        super().__init__(
            method=None, input_token=['NextToken'], output_token=[output_token],
            more_results=None,
            result_keys=[jmespath.compile(key) for key in pagination['resultKeys']],
            non_aggregate_keys=[jmespath.compile(key) for key in pagination.get('nonAggregateKeys', [])],
            limit_key='MaxResults',
            max_items=None, starting_token=None, page_size=None, op_kwargs={})
        self._page = page
        self._output_token_name = output_token

    def __iter__(self):
        page = json.loads(json.dumps(self._page))
        self._record_non_aggregate_key_values(page)
        token = page.get(self._output_token_name)
        if token is not None:
            self._resume_token = token
        yield page


class YAMLDumper:
    """aws CLI v2's awscli.formatter.YAMLDumper."""

    def __init__(self):
        self._yaml = YAML(typ='safe', pure=False)
        if 'CEmitter' not in self._yaml.Emitter.__name__:
            sys.exit('ruamel.yaml has no C emitter here: pip install ruamel.yaml.clib')
        self._yaml.default_flow_style = False

    def dump(self, value, stream):
        if isinstance(value, (dict, list)):
            self._yaml.dump(value, stream)
        else:
            json.dump(value, stream, ensure_ascii=False)
            stream.write('\n')


def fresh(document):
    return json.loads(json.dumps(document))


def render(fmt, operation, response, pagination, query):
    compiled = jmespath.compile(query) if query is not None else None
    args = Namespace(query=compiled, color='off')
    stream = io.StringIO()

    def source():
        return OnePage(response, pagination) if pagination else fresh(response)

    if fmt == 'json':
        JSONFormatter(args)(operation, source(), stream)
    elif fmt == 'text':
        TextFormatter(args)(operation, source(), stream)
    elif fmt == 'table':
        formatter = TableFormatter(args)
        formatter.table._terminal_width = 80
        formatter(operation, source(), stream)
    elif fmt in ('yaml', 'yaml-stream'):
        data = source()
        if isinstance(data, PageIterator):
            data = data.build_full_result() if fmt == 'yaml' else list(data)[0]
        if compiled is not None:
            data = compiled.search(data)
        if fmt == 'yaml-stream':
            YAMLDumper().dump([data], stream)
        elif data != {}:
            YAMLDumper().dump(data, stream)
    return stream.getvalue()


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding='utf-8')


def record(expected, name, produce):
    """Writes <name>.txt, or <name>.error.txt with the message when the aws CLI fails."""
    try:
        write(expected / f'{name}.txt', produce())
    except Exception as error:
        write(expected / f'{name}.error.txt', str(error) + '\n')


def generate_output_cases():
    for case in sorted(p for p in HERE.iterdir() if (p / 'case.json').is_file()):
        spec = json.loads((case / 'case.json').read_text(encoding='utf-8'))
        operation = spec['operation']
        response = spec['response']
        pagination = spec.get('pagination')
        expected = case / 'expected'
        for fmt in ('json', 'text', 'table', 'yaml', 'yaml-stream'):
            record(expected, fmt, lambda: render(fmt, operation, response, pagination, None))
        for name, query in spec.get('queries', {}).items():
            for fmt in ('json', 'text', 'table', 'yaml'):
                record(expected, f'query-{name}.{fmt}',
                       lambda: render(fmt, operation, response, pagination, query))
        print('aws-output/%s' % case.name)


def evaluate(expression, data):
    try:
        compiled = jmespath.compile(expression)
    except Exception as error:  # the aws CLI reports any compile failure as a bad --query
        return {'error': str(error), 'phase': 'compile'}
    try:
        result = compiled.search(data)
    except Exception as error:
        return {'error': str(error), 'phase': 'search'}
    try:
        return {'result': json.dumps(result, ensure_ascii=False)}
    except TypeError as error:
        return {'error': str(error), 'phase': 'search'}


def generate_jmespath_cases():
    for case in sorted(p for p in JMESPATH_DIR.iterdir() if (p / 'cases.json').is_file()):
        cases = json.loads((case / 'cases.json').read_text(encoding='utf-8'))
        results = [evaluate(item['expression'], item['data']) for item in cases]
        write(case / 'expected' / 'results.json',
              json.dumps(results, indent=2, ensure_ascii=False) + '\n')
        print('jmespath/%s: %d expressions' % (case.name, len(cases)))


if __name__ == '__main__':
    generate_output_cases()
    generate_jmespath_cases()
