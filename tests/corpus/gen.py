#!/usr/bin/env python3
"""Build the rstack corpus from tests/corpus/src/*.txt and record helm's output.

    TZ=UTC HELM=/path/to/helm-v4.1.4 ./gen.py                 # rebuild charts/ cases/ cases.tsv, record
    TZ=UTC HELM=/path/to/helm-v4.1.4 ./gen.py CASE...         # only these cases
    TZ=UTC HELM=/path/to/helm-v4.1.4 ./gen.py --check [CASE...]
                                   # write nothing: the tree must match src, and helm's
                                   # output must match expected.*; exit 1 otherwise
    ./gen.py --coverage            # list inventory functions no case uses

Source format (one or more cases per src/*.txt file; lines starting with
`#` before a case's first section are comments):

    === case-name
    key: value            header lines: args, wrapper, notes, chart, argv
    >>> snip              the template snippet (engine-text case)
    {{ ... }}
    >>> values.yaml       any other chart file (path inside the chart)
    a: 1
    >>> @v.yaml           a file under cases/<case>/ (values files for -f, --set-file)
    x: 1

Sections run to the next `>>> `/`=== ` line. A section's content is its lines
joined with "\n", blank lines at its end dropped; chart and case files get a
final "\n"; `snip` never does. Modifiers after the section name:
`!nonl` (no final newline), `!keep` (keep trailing blank lines), `!crlf`
(CRLF line ends), `!bom` (prefix a UTF-8 BOM).
Escapes inside any section: a line `\>>> x` or `\=== x` stands for the text
without the backslash.

Headers:
  args:    extra arguments after `rel charts/<case>` (no whitespace inside an
           argument); `{case}` stands for `cases/<case>`.
  argv:    the whole argument line instead (`{chart}` = `charts/<case>`).
  wrapper: `define-snip` (default for snip cases) or `file-include`.
  notes:   free text for cases.tsv.
If there is no Chart.yaml section, `apiVersion: v2 / name: c / version: 0.1.0`
is written.

engine-text cases (with a `snip`) are wrapped exactly like the engine corpus
(../../shared/conformance-engine): templates/_snip.tpl holds
`{{- define "snip" }}SNIPPET{{ end }}` and templates/t.yaml is
`k: {{ include "snip" . | quote }}`; with `wrapper: file-include` the snippet
is the whole _snip.tpl and t.yaml includes "c/templates/_snip.tpl".

Each case is rendered three times; a case whose outputs differ is reported
and not written. Helm runs from this directory with HELM_* homes and
KUBECONFIG in a scratch directory and TZ=UTC.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_CHART_YAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"
SNIP_TPL = '{{- define "snip" }}%s{{ end }}\n'
T_YAML = 'k: {{ include "snip" . | quote }}\n'
T_YAML_FILE = 'k: {{ include "c/templates/_snip.tpl" . | quote }}\n'
RUNS = 3


class Case:
    def __init__(self, name, src):
        self.name = name
        self.src = src
        self.headers = {}
        self.sections = []  # (name, content)

    @property
    def snip(self):
        for n, c in self.sections:
            if n == "snip":
                return c
        return None

    @property
    def kind(self):
        return "engine-text" if self.snip is not None else "helm-template"

    @property
    def wrapper(self):
        if self.snip is None:
            return "-"
        return self.headers.get("wrapper", "define-snip")

    def args(self):
        if "argv" in self.headers:
            line = self.headers["argv"].replace("{chart}", "charts/" + self.name)
        else:
            line = "rel charts/" + self.name
            if self.headers.get("args"):
                line += " " + self.headers["args"]
        return line.replace("{case}", "cases/" + self.name)

    def files(self):
        """(relative path under the corpus, content) of every file of the case."""
        out = []
        chart = "charts/" + self.name + "/"
        have_chart_yaml = False
        snip = self.snip
        for n, text in self.sections:
            if n == "snip":
                continue
            if n.startswith("@"):
                out.append(("cases/" + self.name + "/" + n[1:], text))
            else:
                if n == "Chart.yaml":
                    have_chart_yaml = True
                out.append((chart + n, text))
        if not have_chart_yaml:
            out.append((chart + "Chart.yaml", DEFAULT_CHART_YAML))
        if snip is not None:
            if self.wrapper == "file-include":
                if have_chart_yaml:
                    raise SystemExit("%s: file-include needs the default chart name c" % self.name)
                out.append((chart + "templates/_snip.tpl", snip))
                out.append((chart + "templates/t.yaml", T_YAML_FILE))
            else:
                out.append((chart + "templates/_snip.tpl", SNIP_TPL % snip))
                out.append((chart + "templates/t.yaml", T_YAML))
        out.append(("cases/" + self.name + "/args", self.args() + "\n"))
        return out


def parse_sources():
    cases = []
    srcdir = os.path.join(HERE, "src")
    for fn in sorted(os.listdir(srcdir)):
        if not fn.endswith(".txt"):
            continue
        with open(os.path.join(srcdir, fn), encoding="utf-8", newline="") as f:
            lines = f.read().split("\n")
        cur = None
        sec = None  # [name, lines, modifiers]

        def close_section():
            nonlocal sec
            if sec is not None:
                body, mods = sec[1], sec[2]
                while "!keep" not in mods and body and body[-1] == "":
                    body.pop()
                eol = "\r\n" if "!crlf" in mods else "\n"
                text = eol.join(body)
                if sec[0] != "snip" and "!nonl" not in mods:
                    text += eol
                if "!bom" in mods:
                    text = "\ufeff" + text
                cur.sections.append((sec[0], text))
                sec = None

        for line in lines:
            if line.startswith("=== "):
                if cur is not None:
                    close_section()
                cur = Case(line[4:].strip(), fn)
                cases.append(cur)
            elif line.startswith(">>> "):
                if cur is None:
                    raise SystemExit("%s: section before any case" % fn)
                close_section()
                words = line[4:].split()
                mods = {w for w in words[1:] if w.startswith("!")}
                unknown = mods - {"!nonl", "!keep", "!crlf", "!bom"}
                if not words or unknown or len(words) != 1 + len(mods):
                    raise SystemExit("%s: bad section line %r" % (fn, line))
                sec = [words[0], [], mods]
            elif sec is not None:
                if line.startswith("\\>>> ") or line.startswith("\\=== "):
                    line = line[1:]
                sec[1].append(line)
            elif cur is not None and line.strip() and not line.startswith("#"):
                k, sep, v = line.partition(":")
                if not sep:
                    raise SystemExit("%s: case %s: bad header line %r" % (fn, cur.name, line))
                cur.headers[k.strip()] = v.strip()
        if cur is not None:
            close_section()
    names = [c.name for c in cases]
    dups = sorted({n for n in names if names.count(n) > 1})
    if dups:
        raise SystemExit("duplicate case names: %s" % ", ".join(dups))
    for c in cases:
        if not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", c.name):
            raise SystemExit("bad case name %r" % c.name)
    return cases


def helm_env(scratch):
    env = dict(os.environ)
    for k in ("HELM_NAMESPACE", "HELM_KUBECONTEXT", "HELM_DRIVER", "HELM_DEBUG"):
        env.pop(k, None)
    env.update(TZ="UTC", HELM_CONFIG_HOME=os.path.join(scratch, "config"),
               HELM_CACHE_HOME=os.path.join(scratch, "cache"),
               HELM_DATA_HOME=os.path.join(scratch, "data"),
               KUBECONFIG=os.path.join(scratch, "kubeconfig"))
    return env


def run_helm(helm, root, env, args):
    p = subprocess.run([helm, "template"] + args.split(), cwd=root, env=env, capture_output=True)
    return p.returncode, p.stdout, p.stderr


def record(helm, root, env, case):
    """Render RUNS times; return (rc, out, err) or None when the runs differ."""
    results = [run_helm(helm, root, env, case.args()) for _ in range(RUNS)]
    first = results[0]
    for r in results[1:]:
        if (r[0] == 0) != (first[0] == 0) or (first[0] == 0 and r[1] != first[1]) \
                or (first[0] != 0 and r[2] != first[2]):
            return None
    return first


def write_tree(root, case):
    for d in ("charts", "cases"):
        p = os.path.join(root, d, case.name)
        if os.path.isdir(p):
            shutil.rmtree(p)
    for rel, content in case.files():
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8", newline="") as f:
            f.write(content)


def tree_files(root, case):
    out = {}
    for d in ("charts", "cases"):
        base = os.path.join(root, d, case.name)
        for dirpath, _, files in os.walk(base):
            for fn in files:
                p = os.path.join(dirpath, fn)
                rel = os.path.relpath(p, root)
                if d == "cases" and fn in ("expected.yaml", "expected.err"):
                    continue
                with open(p, "rb") as f:
                    out[rel] = f.read()
    return out


def write_tsv(cases, results):
    with open(os.path.join(HERE, "cases.tsv"), "w") as f:
        f.write("case\tkind\tresult\twrapper\tnotes\tsource\n")
        for c in cases:
            res = results.get(c.name)
            if res is None:
                continue
            f.write("\t".join([c.name, c.kind, res, c.wrapper,
                               c.headers.get("notes", "-") or "-", "src/" + c.src]) + "\n")


def existing_result(case):
    d = os.path.join(HERE, "cases", case.name)
    if os.path.exists(os.path.join(d, "expected.yaml")):
        return "renders"
    if os.path.exists(os.path.join(d, "expected.err")):
        return "fails"
    return None


INVENTORY_SECTIONS = ("### 1.8", "### 2.4", "### 3.1")


def coverage(cases):
    """Names from HELM-SEMANTICS.md §1.8/§2.4/§3.1 that appear in no case's files."""
    doc = os.path.join(HERE, "..", "..", "..", "shared", "docs", "HELM-SEMANTICS.md")
    doc = os.environ.get("SEMANTICS", doc)
    with open(doc) as f:
        text = f.read()
    names = set()
    for sec in INVENTORY_SECTIONS:
        start = text.index(sec)
        end = text.index("\n### ", start + 5)
        part = text[start:end]
        if sec == "### 3.1":
            for m in re.finditer(r"`([^`]+)`", part):
                for w in m.group(1).split():
                    w = w.rstrip("¹")
                    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", w):
                        names.add(w)
        else:
            for m in re.finditer(r"^\| ([^|]+)\|", part, re.M):
                for w in re.findall(r"`(\w+)", m.group(1)):
                    names.add(w)
                for w in re.findall(r"`([\w ]+)`", m.group(1)):
                    names.update(w.split())
    # words of the prose that the backtick scan picks up but are no function names
    names -= {"Cannot", "calling", "find", "TxtFuncMap", "function", "exact", "name", "rule", "a", "b",
              "f", "s", "v", "x", "args", "data", "error", "host", "kind", "msg", "must", "namespace",
              "on", "string", "type", "value", "apiVersion"}
    corpus = ""
    for c in cases:
        for _, content in c.files():
            corpus += content + "\n"
    missing = sorted(n for n in names if not re.search(r"(?<![\w.$])" + re.escape(n) + r"(?![\w])", corpus))
    return names, missing


def main():
    argv = sys.argv[1:]
    check = "--check" in argv
    if "--coverage" in argv:
        names, missing = coverage(parse_sources())
        print("%d names, %d unused: %s" % (len(names), len(missing), " ".join(missing)))
        sys.exit(1 if missing else 0)
    only = [a for a in argv if not a.startswith("--")]
    helm = os.environ.get("HELM", "helm")
    cases = parse_sources()
    if only:
        unknown = set(only) - {c.name for c in cases}
        if unknown:
            raise SystemExit("unknown cases: %s" % " ".join(sorted(unknown)))
    selected = [c for c in cases if not only or c.name in only]
    subprocess.run([helm, "version"], stdout=sys.stderr)
    failed = 0
    results = {c.name: existing_result(c) for c in cases}
    with tempfile.TemporaryDirectory() as scratch:
        env = helm_env(scratch)
        if check:
            build = os.path.join(scratch, "tree")
            for c in selected:
                write_tree(build, c)
                want = tree_files(build, c)
                have = tree_files(HERE, c)
                if want != have:
                    print("STALE     %s (chart/case files differ from src; run gen.py)" % c.name)
                    failed = 1
                    continue
                r = run_helm(helm, HERE, env, c.args())
                d = os.path.join(HERE, "cases", c.name)
                exp = "expected.yaml" if r[0] == 0 else "expected.err"
                got = r[1] if r[0] == 0 else r[2]
                p = os.path.join(d, exp)
                if os.path.exists(p) and open(p, "rb").read() == got:
                    print("same      %s%s" % (c.name, "" if r[0] == 0 else " (fails as expected)"))
                else:
                    print("DIFFERENT %s (exit %d)" % (c.name, r[0]))
                    failed = 1
            sys.exit(failed)
        if not only:
            names = {c.name for c in cases}
            for d in ("charts", "cases"):
                base = os.path.join(HERE, d)
                if os.path.isdir(base):
                    for n in os.listdir(base):
                        if n not in names:
                            shutil.rmtree(os.path.join(base, n))
        for c in selected:
            write_tree(HERE, c)
            r = record(helm, HERE, env, c)
            if r is None:
                print("NONDETERMINISTIC %s (not written)" % c.name, file=sys.stderr)
                shutil.rmtree(os.path.join(HERE, "charts", c.name))
                shutil.rmtree(os.path.join(HERE, "cases", c.name))
                results[c.name] = None
                failed = 1
                continue
            d = os.path.join(HERE, "cases", c.name)
            if r[0] == 0:
                with open(os.path.join(d, "expected.yaml"), "wb") as f:
                    f.write(r[1])
                results[c.name] = "renders"
                print("ok     %s" % c.name)
            else:
                with open(os.path.join(d, "expected.err"), "wb") as f:
                    f.write(r[2])
                results[c.name] = "fails"
                print("fails  %s (exit %d)" % (c.name, r[0]))
    write_tsv(cases, results)
    n_r = sum(1 for v in results.values() if v == "renders")
    n_f = sum(1 for v in results.values() if v == "fails")
    print("%d cases: %d render, %d fail" % (n_r + n_f, n_r, n_f), file=sys.stderr)
    sys.exit(failed)


if __name__ == "__main__":
    main()
