#!/usr/bin/env python3
"""The layer check: every folder under src/ includes and links only the
folders docs/ARCHITECTURE.md allows it (the table between the
"layers:begin" and "layers:end" markers, so the document and the check
cannot drift apart).

Checked: each `#include "FOLDER/..."` of a source file that is not a test
(tests may reach any layer to build their fixtures), and each warden_*
library a folder's CMakeLists.txt links to a library target. Exit status 1
with one line per violation; 0 when the tree keeps the table.

Usage: scripts/check_layers.py [REPO_ROOT]
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else
                    pathlib.Path(__file__).resolve().parent.parent)
TABLE_ROW = re.compile(r'^\|\s*`([a-z_/]+)/`\s*\|[^|]*\|\s*([^|]*)\|\s*$')
INCLUDE = re.compile(
    r'^\s*#\s*include\s+"([a-z_]+(?:/(?:sql|sqlite|postgres)(?=/))?)/[^"]+"',
    re.M)
LINK = re.compile(r'target_link_libraries\s*\(\s*(warden_\w+)([^)]*)\)', re.S)
TEST_FILE = re.compile(r'(_test\.cc|_test_[a-z_]+\.h|test_[a-z_]+\.h|'
                       r'_test_env\.h|_test_seed\.h|_test_fixture\.h)$')


def allowed_table():
    text = (ROOT / 'docs' / 'ARCHITECTURE.md').read_text()
    block = text.split('<!-- layers:begin -->')[1].split('<!-- layers:end -->')[0]
    table = {}
    for line in block.splitlines():
        row = TABLE_ROW.match(line)
        if row:
            uses = re.findall(r'`([a-z_/]+)/`', row.group(2))
            table[row.group(1)] = set(uses)
    if not table:
        sys.exit('check_layers: no layer table in docs/ARCHITECTURE.md')
    return table


def folder_of(path, table):
    parts = path.relative_to(ROOT / 'src').parts
    if len(parts) > 2 and '/'.join(parts[:2]) in table:
        return '/'.join(parts[:2])
    return parts[0] if len(parts) > 1 else None


def include_violations(table):
    for path in sorted((ROOT / 'src').rglob('*')):
        if path.suffix not in ('.h', '.cc') or TEST_FILE.search(path.name):
            continue
        folder = folder_of(path, table)
        if folder is None or folder == 'third_party_impl':
            continue
        if folder not in table:
            yield f'{path.relative_to(ROOT)}: folder {folder}/ is not in the table'
            continue
        for target in INCLUDE.findall(path.read_text()):
            if target == 'warden' or target == folder:
                continue  # public SDK headers, own folder
            if target not in table[folder]:
                yield (f'{path.relative_to(ROOT)}: includes {target}/, which '
                       f'{folder}/ may not use')


def link_violations(table):
    for cmake in sorted((ROOT / 'src').rglob('CMakeLists.txt')):
        folder = folder_of(cmake, table)
        if folder not in table:
            continue
        for target, libraries in LINK.findall(cmake.read_text()):
            for library in re.findall(r'warden_(\w+)', libraries):
                used = re.sub(r'^store_(sql|sqlite|postgres)$', r'store/\1',
                              library)
                if used in ('boost_impl', folder.replace('/', '_')):
                    continue
                if used not in table[folder]:
                    yield (f'{cmake.relative_to(ROOT)}: {target} links '
                           f'warden_{library}, which {folder}/ may not use')


def main():
    table = allowed_table()
    problems = list(include_violations(table)) + list(link_violations(table))
    for problem in problems:
        print(problem)
    if problems:
        print(f'check_layers: {len(problems)} violation(s) of the layer table '
              'in docs/ARCHITECTURE.md')
        return 1
    print(f'check_layers: {len(table)} folders keep their layers')
    return 0


if __name__ == '__main__':
    sys.exit(main())
