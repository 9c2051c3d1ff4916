#!/usr/bin/env python3
"""Every language tpt speaks is complete: each text people read has its
translation in the catalogues.

The texts are English where they are written: the words of the pages
(t('...') and tn(n, '...', '...') in web/*.js), the core's own sentences
(TPT_TEXT("...") in the C sources, the handout's W("...") and the chart's
tpt_word(w, "...")), the fixed words of the audit log's lines (where the C
sources write them: see AUDIT_CALLS), and the data files' texts (the keys below). A language's
catalogue is data/messages/LANG.json for the first two and the "translations"
block of each data file for the last. This script fails when a text has no
translation, when a translation has not the same {placeholders} as its
English, when a plural lacks its "one" or "other" form, or when a catalogue
keeps an entry that no text uses any more (so that catalogues do not rot).

    check.py [--root DIR] [--missing LANG | --audit]
        (--missing prints what LANG lacks, as JSON; --audit the words and
        formats of the audit lines, as JSON; --root checks another copy of
        the sources, as tests/i18n/refuse.py does)
"""
import json
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')

# The texts of each data file people read, as paths of keys ('*' any key,
# '[]' every item of a list).
DATA_TEXTS = {
    'regions.json': ['sided[].label', 'midline[].label'],
    'atlas.json': ['causes[].label', 'causes[].location', 'findings[].label',
                   'warnings.*.advice'],
    'screen.json': ['questions[].question', 'questions[].example', 'levels.*.advice',
                    'groups[].title', 'groups[].intro', 'rules[].reason', 'rules[].advice'],
    'progress.json': ['verdicts.*.sentence'],
    'techniques.json': [
        'causes[].home[].title', 'causes[].home[].placement', 'causes[].home[].instructions',
        'causes[].home[].cautions[]', 'causes[].stretches[].title',
        'causes[].stretches[].instructions', 'causes[].stretches[].cautions[]',
        'causes[].clinic[].detail', 'causes[].evidence', 'acupoints[].location',
        'general.before[].title', 'general.before[].instructions', 'general.after[].title',
        'general.after[].instructions', 'general.habits[].text', 'defaults.pressure.text',
        'course.advice', 'stop_rules[].text', 'cautions[].text', 'guidelines[].text'],
    'lay-names.json': ['causes.*.name'],
    # tpt's own ratings whole; of a validated questionnaire, tpt's account of
    # it (its name and items keep their published words)
    'instruments/nrs-leg.json': ['name', 'about', 'items[].text', 'items[].range.anchors[].text'],
    'instruments/nrs-back.json': ['name', 'about', 'items[].text', 'items[].range.anchors[].text'],
    'instruments/odi.json': ['about'],
    'instruments/rmdq.json': ['about'],
    'instruments/sbi.json': ['about'],
    'instruments/psfs.json': ['about'],
    'instruments/start-back.json': ['about'],
}


def at_path(node, parts):
    """The strings at a path of keys in a parsed JSON value."""
    if not parts:
        if isinstance(node, str):
            yield node
        return
    head, rest = parts[0], parts[1:]
    is_list = head.endswith('[]')
    key = head[:-2] if is_list else head
    children = []
    if key == '*' and isinstance(node, dict):
        children = list(node.values())
    elif key and isinstance(node, dict) and key in node:
        children = [node[key]]
    elif not key:
        children = [node]
    for child in children:
        if is_list:
            for item in child if isinstance(child, list) else []:
                yield from at_path(item, rest)
        else:
            yield from at_path(child, rest)


def data_texts():
    """{file: set of English texts}."""
    out = {}
    for name, paths in DATA_TEXTS.items():
        data = json.load(open(os.path.join(ROOT, 'data', name), encoding='utf-8'))
        texts = set()
        for path in paths:
            texts.update(at_path(data, path.split('.')))
        out[name] = texts
    return out


# ---- the words of the code ----

def read_literal(src, i, quotes):
    """A string literal at src[i] (after whitespace): (its text, index after), or None."""
    while i < len(src) and src[i] in ' \t\r\n':
        i += 1
    if i >= len(src) or src[i] not in quotes:
        return None
    q = src[i]
    i += 1
    out = []
    while i < len(src) and src[i] != q:
        if src[i] == '\\':
            nxt = src[i + 1]
            out.append({'n': '\n', 't': '\t'}.get(nxt, nxt))
            i += 2
        else:
            if q == '`' and src.startswith('${', i):
                raise ValueError('a template with ${...} cannot be a message id')
            out.append(src[i])
            i += 1
    return ''.join(out), i + 1


def read_joined(src, i, quotes, joiner):
    """Literals joined by `joiner` ('+' in JS, nothing in C): (text, index after)."""
    first = read_literal(src, i, quotes)
    if first is None:
        return None
    text, i = first
    while True:
        j = i
        while j < len(src) and src[j] in ' \t\r\n\\':
            j += 1
        if joiner:
            if not src.startswith(joiner, j):
                return text, i
            j += len(joiner)
        nxt = read_literal(src, j, quotes)
        if nxt is None:
            return text, i
        text += nxt[0]
        i = nxt[1]


def skip_argument(src, i):
    """The index after the first argument of a call (at the top-level comma)."""
    depth = 0
    while i < len(src):
        c = src[i]
        if c in '([{':
            depth += 1
        elif c in ')]}':
            depth -= 1
        elif c == ',' and depth == 0:
            return i + 1
        elif c in '\'"`':
            lit = read_literal(src, i, c)
            i = lit[1] - 1
        i += 1
    return i


def js_messages(problems):
    """{id: 'text' or 'plural'} of web/*.js."""
    ids = {}
    web = os.path.join(ROOT, 'web')
    for name in sorted(os.listdir(web)):
        if not name.endswith('.js') or name == 'i18n.js':
            continue
        src = open(os.path.join(web, name), encoding='utf-8').read()
        for m in re.finditer(r'(?<![\w.$])(tn?)\(', src):
            where = f'web/{name}:{src.count(chr(10), 0, m.start()) + 1}'
            try:
                if m.group(1) == 't':
                    lit = read_joined(src, m.end(), '\'`"', '+')
                    if lit is None:
                        problems.append(f'{where}: t() is given no literal text')
                        continue
                    ids.setdefault(lit[0], 'text')
                else:
                    i = skip_argument(src, m.end())
                    one = read_joined(src, i, '\'`"', '+')
                    other = read_joined(src, skip_argument(src, i), '\'`"', '+') if one else None
                    if not one or not other:
                        problems.append(f'{where}: tn() is given no literal one and other')
                        continue
                    ids[other[0]] = 'plural'
                    ids.setdefault(one[0], 'one')
            except ValueError as e:
                problems.append(f'{where}: {e}')
    return ids


def c_messages():
    """The core's own sentences and the handout's words."""
    ids = set()
    for top in ('lib', 'record', 'include', 'src/server'):
        for base, _, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                if not name.endswith(('.c', '.h')):
                    continue
                src = open(os.path.join(base, name), encoding='utf-8').read()
                for m in re.finditer(r'\b(TPT_TEXT|W|tpt_word)\(', src):
                    i = m.end()
                    if m.group(1) == 'tpt_word':
                        i = skip_argument(src, i)
                    lit = read_joined(src, i, '"', '')
                    if lit and not lit[0].startswith('english'):
                        ids.add(lit[0])
    return ids


# The functions that write an audit line, and the argument (from 0) that
# holds its words. A line is kept in the English it was written in (the log's hash
# chain covers it); a page translates it when it shows it (web/audit_words.js):
# the fixed words are message ids, read here from where they are written.
AUDIT_CALLS = {'srv_audit': 2, 'srv_record_audit': 1, 'account_audit': 1, 'cli_audit': 2,
               'cli_change_end': 3, 'change': 4}
# The lines made from a format (a number, a name or an address in them),
# which web/audit_words.js matches part by part: the function, and the
# argument (from 0) of the format.
AUDIT_FORMATS = {'snprintf': 2, 'audit': 3, 'settle': 6}  # snprintf(action, ...) only
AUDIT_DIRS = ('src/server', 'src/cli', 'record')


def call_arguments(src, i):
    """The top-level arguments of the call whose '(' ends at i: [(start, end)]."""
    args, start, depth = [], i, 0
    while i < len(src):
        c = src[i]
        if c in '([{':
            depth += 1
        elif c in ')]}':
            if depth == 0:
                args.append((start, i))
                return args
            depth -= 1
        elif c == ',' and depth == 0:
            args.append((start, i))
            start = i + 1
        elif c in '"\'':
            i = read_literal(src, i, c)[1] - 1
        i += 1
    return args


def literals(text):
    """The string literals of a piece of C outside any call in it, adjacent
    ones joined (the words of `a ? ("x" : "y") : "z"`, not of `get(o, "plan")`)."""
    out, i, calls = [], 0, []  # calls: for each open '(', whether it opens a call
    while i < len(text):
        c = text[i]
        if c == '"':
            lit, i = read_joined(text, i, '"', '')
            if not any(calls):
                out.append(lit)
            continue
        if c == "'":
            i = read_literal(text, i, "'")[1]
            continue
        if c == '(':
            calls.append(bool(re.search(r'\w\s*$', text[:i])))
        elif c == ')' and calls:
            calls.pop()
        i += 1
    return out


def audit_texts():
    """(the fixed words of audit lines, the formats of the others), as sets."""
    fixed, formats = set(), set()
    for top in AUDIT_DIRS:
        for base, _, files in os.walk(os.path.join(ROOT, top)):
            for name in sorted(files):
                if not name.endswith('.c'):
                    continue
                src = open(os.path.join(base, name), encoding='utf-8').read()
                names = '|'.join(list(AUDIT_CALLS) + list(AUDIT_FORMATS))
                for m in re.finditer(r'(?<![\w.>])(' + names + r')\(', src):
                    args = call_arguments(src, m.end())
                    fn = m.group(1)
                    if fn in AUDIT_CALLS and len(args) > AUDIT_CALLS[fn]:
                        for lit in literals(src[slice(*args[AUDIT_CALLS[fn]])]):
                            fixed.add(lit[len('calendar: '):] if lit.startswith('calendar: ')
                                      else lit)
                    if fn in AUDIT_FORMATS and len(args) > AUDIT_FORMATS[fn]:
                        # snprintf only into an audit line's buffer, named action
                        if fn == 'snprintf' and src[slice(*args[0])].strip() != 'action':
                            continue
                        for lit in literals(src[slice(*args[AUDIT_FORMATS[fn]])]):
                            (formats if '%' in lit else fixed).add(lit)
    return fixed, formats


# ---- the catalogues ----

def placeholders(text):
    return sorted(set(re.findall(r'\{(\w+)\}', text)))


def check(lang, problems, missing):
    cat_path = os.path.join(ROOT, 'data', 'messages', f'{lang}.json')
    catalogue = json.load(open(cat_path, encoding='utf-8'))
    messages = catalogue['messages']
    js = js_messages(problems)
    c = c_messages() | audit_texts()[0]
    wanted = {k for k, v in js.items() if v != 'one'} | c
    for text in sorted(wanted):
        got = messages.get(text)
        if got is None:
            missing.setdefault('messages', {})[text] = js.get(text, 'text')
            continue
        forms = got if isinstance(got, dict) else {'other': got}
        if js.get(text) == 'plural' and isinstance(got, dict):
            for form in ('one', 'other'):
                if form not in got:
                    problems.append(f'{lang}: the plural "{text}" lacks its "{form}" form')
        for form, value in forms.items():
            if not isinstance(value, str) or not value:
                problems.append(f'{lang}: "{text}" has an empty translation')
            elif placeholders(value) != placeholders(text) and not (
                    form == 'one' and set(placeholders(value)) <= set(placeholders(text))):
                problems.append(f'{lang}: "{text}" and its translation "{value}" differ in '
                                f'their {{placeholders}}')
    for text in sorted(set(messages) - wanted):
        problems.append(f'{lang}: data/messages/{lang}.json keeps "{text}", which no text uses')
    for name, texts in data_texts().items():
        data = json.load(open(os.path.join(ROOT, 'data', name), encoding='utf-8'))
        block = data.get('translations', {}).get(lang, {})
        for text in sorted(texts):
            if not block.get(text):
                missing.setdefault(name, {})[text] = ''
        for text in sorted(set(block) - texts):
            problems.append(f'{lang}: data/{name} translates "{text[:60]}", which it no longer has')


def main():
    global ROOT
    if len(sys.argv) >= 3 and sys.argv[1] == '--root':
        ROOT = sys.argv[2]
        del sys.argv[1:3]
    langs = [f[:-5] for f in sorted(os.listdir(os.path.join(ROOT, 'data', 'messages')))
             if f.endswith('.json') and f != 'en.json']
    if len(sys.argv) == 2 and sys.argv[1] == '--audit':
        fixed, formats = audit_texts()
        json.dump({'fixed': sorted(fixed), 'formats': sorted(formats)}, sys.stdout, indent=1)
        return 0
    if len(sys.argv) == 3 and sys.argv[1] == '--missing':
        problems, missing = [], {}
        check(sys.argv[2], problems, missing)
        json.dump(missing, sys.stdout, indent=1, ensure_ascii=False)
        return 0
    failed = 0
    for lang in langs:
        problems, missing = [], {}
        check(lang, problems, missing)
        for where, texts in missing.items():
            for text in texts:
                problems.append(f'{lang}: no translation in {where} for "{text[:70]}"')
        for p in problems:
            print(f'FAIL: {p}')
        failed += len(problems)
        n = len([k for k, v in js_messages([]).items() if v != 'one']) + len(
            c_messages() | audit_texts()[0]) + sum(
            len(v) for v in data_texts().values())
        print(f'{lang}: {n} texts, {len(problems)} without a proper translation')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
