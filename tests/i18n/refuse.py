#!/usr/bin/env python3
"""check.py refuses each way a catalogue can go wrong.

On a copy of the sources, one damage at a time: a page's text without its
translation, a translation that lost a {placeholder}, a plural without its
"one" form, a catalogue entry no text uses any more, an audit line's words
without their translation, and a data file's text without its translation. The undamaged copy passes, so each failure is the
damage's own.

    refuse.py CHECK_PY SOURCE_ROOT
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

CHECK, SOURCE = sys.argv[1], sys.argv[2]
TREES = ('data', 'web', 'lib', 'record', 'include', 'src/server', 'src/cli')


def run(root):
    r = subprocess.run([sys.executable, CHECK, '--root', root], capture_output=True, text=True)
    return r.returncode, r.stdout


def edit_json(path, change):
    data = json.load(open(path, encoding='utf-8'))
    change(data)
    json.dump(data, open(path, 'w', encoding='utf-8'), ensure_ascii=False, indent=1)


def first_key(d, test):
    return next(k for k, v in d.items() if test(k, v))


def damages():
    """(what, file under data/, change, what the failure says)"""
    def drop_message(d):
        del d['messages']['Add the amendment']

    def lose_placeholder(d):
        m = d['messages']
        k = first_key(m, lambda k, v: isinstance(v, str) and '{n}' in k)
        m[k] = m[k].replace('{n}', 'n')

    def plural_without_one(d):
        m = d['messages']
        k = first_key(m, lambda k, v: isinstance(v, dict))
        del m[k]['one']

    def stale_entry(d):
        d['messages']['A sentence the pages no longer say'] = 'Ein Satz, den niemand sagt'

    def drop_audit_words(d):
        del d['messages']['read the report']

    def drop_data_text(d):
        del d['translations']['de']['Towel hamstring stretch']

    return [
        ('a page text without translation', 'messages/de.json', drop_message,
         'no translation in messages for "Add the amendment"'),
        ('a lost placeholder', 'messages/de.json', lose_placeholder, 'differ in their {placeholders}'),
        ('a plural without one', 'messages/de.json', plural_without_one, 'lacks its "one" form'),
        ('a stale entry', 'messages/de.json', stale_entry, 'which no text uses'),
        ('an audit line without translation', 'messages/de.json', drop_audit_words,
         'no translation in messages for "read the report"'),
        ('a data text without translation', 'techniques.json', drop_data_text,
         'no translation in techniques.json for "Towel hamstring stretch"'),
    ]


def main():
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for tree in TREES:
            shutil.copytree(os.path.join(SOURCE, tree), os.path.join(tmp, tree))
        rc, out = run(tmp)
        if rc != 0:
            print(f'FAIL: the undamaged copy does not pass:\n{out}')
            return 1
        for what, name, change, says in damages():
            path = os.path.join(tmp, 'data', name)
            saved = open(path, encoding='utf-8').read()
            edit_json(path, change)
            rc, out = run(tmp)
            open(path, 'w', encoding='utf-8').write(saved)
            if rc == 0 or says not in out:
                print(f'FAIL: {what} passed the check (exit {rc}):\n{out}')
                failed += 1
            else:
                print(f'ok: {what} is refused')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
