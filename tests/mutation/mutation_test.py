#!/usr/bin/env python3
"""The mutation suite: every loop rayify converts must stop converting once one hazard
is added to the function it turns into a task (for an outlined body, to any function
the body calls), and every class it turns into an actor
must stay a class once one hazard is added to it or to how the driver uses it.

For each program given, rayify converts it once; then, for every converted loop's
callee and every hazard below, a variant gets the hazard's declarations before the
callee and its statement at the top of the callee's body. Each variant must leave
that callee's loops sequential; so must each hazard of OUT_PARAMETER_HAZARDS given
to a number or struct the callee takes by non-const reference. A control variant
(declarations, no statement) must still convert, so that a refusal is the hazard's
doing, not the edit's.

A throw is no hazard for a function an outlined body calls only inside the block of
a try with a catch (...): the task catches it as the loop did, so that variant is not
made (and counted apart).

A call an outlined body leaves for the driver to replay gets the hazards a driver
cannot redo alone (REPLAY_HAZARDS), and, paired with each function the body's tasks
run, a write of a global that function reads (SHARED_HAZARDS): each must keep the
loop sequential, and the controls must not.

Actors get the same hazards at the top of each method the driver calls, and the
hazards of ACTOR_HAZARDS: in the class body, or in main right after the first
object's declaration (NAME stands for the object).

With --every K, each function or class gets its control and one hazard in K, the
choice rotating from one to the next so that every hazard still meets one function in
K (CI takes K=4: all 3500 variants, each one conversion, outgrew its time).

Usage: mutation_test.py [--every K] RAYIFY PROGRAM.cpp...   (prints "N passed, M failed")
"""
import json
import os
import re
import subprocess
import sys
import tempfile

INCLUDES = "#include <algorithm>\n#include <cstdio>\n#include <cstdlib>\n" \
           "#include <cstring>\n#include <map>\n#include <unistd.h>\n"

# name: (declarations before the callee, statement at the top of its body,
#        statement at the top of main)
HAZARDS = {
    "static-counter": ("", "{ static int rayify_mut_calls = 0; ++rayify_mut_calls; }", ""),
    "global-write": ("int rayify_mut_total = 0;\n", "rayify_mut_total += 1;", ""),
    "write-through-local-reference": (
        "int rayify_mut_count = 0;\n", "{ int &r = rayify_mut_count; ++r; }", ""),
    "write-through-reseated-pointer": (
        "int rayify_mut_hits = 0;\n",
        "{ int local = 0; int *p = &local; p = &rayify_mut_hits; *p += 1; }", ""),
    "io": ("", "std::fprintf(stderr, \" \");", ""),
    "hidden-state": ("", "(void)std::rand();", ""),
    "strtok": ("", "{ char b[4] = \"a b\"; (void)std::strtok(b, \" \"); }", ""),
    "unknown-library-call": ("", "{ char b[8]; (void)gethostname(b, sizeof b); }", ""),
    "throws": ("volatile int rayify_mut_never = 0;\n",
               "if (rayify_mut_never > 0) throw 1;", ""),
    "exits": ("volatile int rayify_mut_stop = 0;\n",
              "if (rayify_mut_stop > 0) std::exit(3);", ""),
    "virtual-call": (
        "struct RayifyMutBase { virtual int f() const { return 0; } "
        "virtual ~RayifyMutBase() {} };\n"
        "int rayify_mut_call(const RayifyMutBase &b) { return b.f(); }\n"
        "RayifyMutBase rayify_mut_base;\n",
        "(void)rayify_mut_call(rayify_mut_base);", ""),
    "function-pointer": (
        "int rayify_mut_id(int x) { return x; }\n"
        "int (*rayify_mut_fp)(int) = rayify_mut_id;\n",
        "(void)rayify_mut_fp(1);", ""),
    "static-map-memo": ("", "{ static std::map<int, int> memo; memo[1] = 2; }", ""),
    "map-subscript-insert": ("", "{ static std::map<int, int> seen; (void)seen[3]; }", ""),
    "global-buffer-via-library": (
        "char rayify_mut_buf[8];\n", "std::strcpy(rayify_mut_buf, \"x\");", ""),
    "mutable-member": (
        "struct RayifyMutCache { mutable int hits = 0; "
        "int get() const { return ++hits; } };\nRayifyMutCache rayify_mut_cache;\n",
        "(void)rayify_mut_cache.get();", ""),
    # The same through a const global and a const reference: only `mutable` lets
    # a const member function change it.
    "mutable-member-through-const-reference": (
        "struct RayifyMutMemo { mutable int hits = 0; "
        "int get() const { return ++hits; } };\n"
        "const RayifyMutMemo rayify_mut_memo{};\n"
        "int rayify_mut_ask(const RayifyMutMemo &m) { return m.get(); }\n",
        "(void)rayify_mut_ask(rayify_mut_memo);", ""),
    "callback-writes-global": (
        "int rayify_mut_compares = 0;\n",
        "{ int a[2] = {2, 1}; std::sort(a, a + 2, [](int x, int y) "
        "{ ++rayify_mut_compares; return x < y; }); }", ""),
    # Code that runs without being called by name: a destructor at the end of a
    # scope, a default member initializer in an implicit constructor, and an operator
    # std::sort calls on the user's type.
    "destructor-writes-global": (
        "int rayify_mut_destroyed = 0;\n"
        "struct RayifyMutGuard { ~RayifyMutGuard() { ++rayify_mut_destroyed; } };\n",
        "{ RayifyMutGuard rayify_mut_guard; (void)rayify_mut_guard; }", ""),
    "default-member-initializer": (
        "int rayify_mut_next = 0;\nstruct RayifyMutTagged { int id = ++rayify_mut_next; };\n",
        "{ RayifyMutTagged rayify_mut_tagged; (void)rayify_mut_tagged; }", ""),
    "operator-a-library-calls": (
        "int rayify_mut_less = 0;\nstruct RayifyMutItem { int v; };\n"
        "bool operator<(const RayifyMutItem &a, const RayifyMutItem &b) "
        "{ ++rayify_mut_less; return a.v < b.v; }\n",
        "{ RayifyMutItem items[2] = {{2}, {1}}; std::sort(items, items + 2); }", ""),
    # A view handed to a helper by value still writes what it leads to.
    "write-through-iterator-argument": (
        "std::map<int, int> rayify_mut_tally = {{1, 0}};\n"
        "template <class It> void rayify_mut_add(It b, It e) "
        "{ for (; b != e; ++b) b->second += 1; }\n",
        "rayify_mut_add(rayify_mut_tally.begin(), rayify_mut_tally.end());", ""),
    # Writes through a reference or pointer parameter, which rayify judges from the
    # helper's body: through a local alias, a pointer moved first, a lambda, and a
    # second helper it hands the array to.
    "write-through-reference-parameter-alias": (
        "int rayify_mut_cells[4];\n"
        "void rayify_mut_poke(int (&t)[4]) { auto &same = t; same[0] += 1; }\n",
        "rayify_mut_poke(rayify_mut_cells);", ""),
    "write-through-moved-pointer-parameter": (
        "int rayify_mut_slots[4];\nvoid rayify_mut_fill(int *p) { *p++ = 1; *p = 2; }\n",
        "rayify_mut_fill(rayify_mut_slots);", ""),
    "write-through-reference-in-lambda": (
        "int rayify_mut_marks[4];\n"
        "void rayify_mut_mark(int (&t)[4]) { auto f = [&] { t[1] = 3; }; f(); }\n",
        "rayify_mut_mark(rayify_mut_marks);", ""),
    "write-through-second-helper": (
        "int rayify_mut_deep[4];\nvoid rayify_mut_inner(int (&t)[4]) { t[2] = 5; }\n"
        "void rayify_mut_outer(int (&t)[4]) { rayify_mut_inner(t); }\n",
        "rayify_mut_outer(rayify_mut_deep);", ""),
    # A number or a C array of numbers would be installed by each task (the task gets
    # the driver's value); a struct global cannot be, so it must stay refused.
    "reads-global-main-changes": (
        "struct RayifyMutPhase { int value; };\nRayifyMutPhase rayify_mut_phase = {0};\n",
        "(void)rayify_mut_phase.value;", "rayify_mut_phase.value = 1;"),
    "reads-through-global-pointer": (
        "int rayify_mut_value = 0;\nconst int *rayify_mut_view = &rayify_mut_value;\n",
        "(void)*rayify_mut_view;", ""),
}


# Hazards given to a number or a struct a callee takes by non-const reference (an
# out-parameter, PARAM in the text), for every such parameter of a function whose
# loop converts: each lets the callee reach beyond its own object, and must keep the
# loop sequential. (Same layout as HAZARDS.)
OUT_PARAMETER_HAZARDS = {
    "out-parameter-address-kept": ("void *rayify_mut_kept = nullptr;\n",
                                   "rayify_mut_kept = &PARAM;", ""),
    "out-parameter-neighbour-written": ("", "(&PARAM)[1] = PARAM;", ""),
    "out-parameter-pointer-moved": (
        "", "{ auto *rayify_mut_p = &PARAM; ++rayify_mut_p; *rayify_mut_p = PARAM; }", ""),
    "out-parameter-previous-element": (
        "", "{ static decltype(&PARAM) rayify_mut_last = nullptr; "
        "if (rayify_mut_last) *rayify_mut_last = PARAM; rayify_mut_last = &PARAM; }", ""),
    "out-parameter-handed-on": (
        "template <class T> void rayify_mut_next(T &t) { (&t)[1] = t; }\n",
        "rayify_mut_next(PARAM);", ""),
    "out-parameter-in-lambda": (
        "", "{ auto rayify_mut_f = [&] { (&PARAM)[1] = PARAM; }; rayify_mut_f(); }", ""),
}

ARITHMETIC = r"(?:unsigned\s+|signed\s+)?(?:double|float|int|long|long long|short|char|bool" \
             r"|std::size_t|size_t|std::int\d+_t|std::uint\d+_t|int\d+_t|uint\d+_t)"


def out_parameters(text, name):
    """Names of the parameters of function `name` that are non-const references to
    numbers or to a class named by a plain identifier, read from its definition's
    parameter list."""
    found = find_definition(text, name)
    if found is None:
        return []
    opening = text.index("(", text.index(name.split("::")[-1], found[0]))
    depth, i = 0, opening
    while True:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            break
        i += 1
    names = []
    for param in text[opening + 1:i].split(","):
        match = re.fullmatch(r"\s*(?:%s|(?!const\b)[A-Za-z_]\w*)\s*&\s*(\w+)\s*"
                             % ARITHMETIC, param)
        if match:
            names.append(match.group(1))
    return names


def parameter_hazards(text, callee):
    """OUT_PARAMETER_HAZARDS for each out-parameter of `callee`, by variant name."""
    return {"%s-%s" % (name, param): (decls, statement.replace("PARAM", param), in_main)
            for param in out_parameters(text, callee)
            for name, (decls, statement, in_main) in OUT_PARAMETER_HAZARDS.items()}


# A call an outlined body leaves to the driver (its report's `replayed_calls`) may
# write globals; these of HAZARDS are what a driver cannot redo alone, and must still
# keep its loop sequential.
REPLAY_HAZARDS = ["io", "throws", "exits", "virtual-call", "function-pointer",
                  "unknown-library-call", "write-through-reseated-pointer"]

# A replayed call writing a global that a function the task runs reads: the task would
# read its own process's copy. Each pair is (in the replayed callee, in the task's).
SHARED_HAZARDS = {
    "shared-with-task": (("extern int rayify_mut_shared;\n", "rayify_mut_shared += 1;", ""),
                         ("int rayify_mut_shared = 0;\n", "(void)rayify_mut_shared;", "")),
    "control": (("extern int rayify_mut_shared;\n", "rayify_mut_shared += 1;", ""),
                ("int rayify_mut_shared = 0;\n", ";", "")),
}


# name: (declarations before main, text at the top of the class body, statement after
#        the first object's declaration in main)
ACTOR_HAZARDS = {
    "mutable-static-member": ("", "public: static int rayify_mut_instances;", ""),
    "friend": ("", "friend struct RayifyMutFriend;", ""),
    "pointer-member": ("", "public: int *rayify_mut_shared = nullptr;", ""),
    "virtual-method": ("", "public: virtual void rayify_mut_v() {}", ""),
    "address-taken": ("", "", "{ auto *rayify_mut_p = &NAME; (void)rayify_mut_p; }"),
    "copied": ("", "", "{ auto rayify_mut_copy = NAME; (void)rayify_mut_copy; }"),
    "passed-by-reference": ("template <typename T> void rayify_mut_touch(T &) {}\n", "",
                            "rayify_mut_touch(NAME);"),
    "used-in-lambda": ("", "", "{ auto rayify_mut_f = [&] { return &NAME; }; (void)rayify_mut_f; }"),
}


def find_definition(text, name, start=0):
    """(start of the definition's line, offset just past its body's '{'), or None. A
    method named `Class::method` is looked for inside its class's body."""
    if "::" in name:
        owner, name = name.rsplit("::", 1)
        found_class = find_class(text, owner.rsplit("::", 1)[-1])
        if found_class is None:
            return None
        start = found_class[1]
    pattern = re.compile(r"\b%s\s*\(" % re.escape(name))
    for match in pattern.finditer(text, start):
        line_start = text.rfind("\n", 0, match.start()) + 1
        prefix = text[line_start:match.start()]
        # In a class written on one line, a member starts after the last '{', ';' or
        # '}' (and an access specifier) before it.
        member_start = max(prefix.rfind(c) for c in "{;}") + 1
        if member_start > 0:
            prefix = re.sub(r"^\s*(public|private|protected)\s*:", "", prefix[member_start:])
        # A definition starts with a return type, not inside an expression.
        if not re.match(r"^\s*[\w:<>,\s\*&]+\s$", prefix) or "return" in prefix:
            continue
        depth, i = 0, match.end() - 1
        while i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        rest = re.match(r"\s*(const\s*)?(noexcept\s*)?\{", text[i + 1:])
        if rest:
            return line_start, i + 1 + rest.end()
    return None


def mutation_edits(text, callee, hazard):
    decls, statement, in_main = hazard
    found = find_definition(text, callee)
    main = find_definition(text, "main")
    if found is None or main is None:
        return None
    # A method's hazard declarations go before its class, at file scope.
    found_class = find_class(text, callee.split("::")[-2]) if "::" in callee else None
    edits = [(found[1], "\n  " + statement + "\n"),
             (found_class[0] if found_class else found[0], decls)]
    if in_main:
        edits.append((main[1], "\n  " + in_main + "\n"))
    return edits


def mutate(text, callee, hazard):
    return mutate_each(text, [(callee, hazard)], 1)[0]


def mutate_each(text, changes, line):
    """Applies mutation_edits of each (callee, hazard) of `changes` in turn: the edited
    text and where its 1-based `line` went, or (None, None)."""
    for callee, hazard in changes:
        edits = mutation_edits(text, callee, hazard)
        if edits is None:
            return None, None
        start = 0
        for _ in range(line - 1):
            start = text.index("\n", start) + 1
        line += sum(insert.count("\n") for offset, insert in edits if offset <= start)
        for offset, insert in sorted(edits, reverse=True):
            text = text[:offset] + insert + text[offset:]
    return INCLUDES + text, line + INCLUDES.count("\n")


def line_after_mutation(text, callee, hazard, line):
    """Where the 1-based `line` of `text` is once mutate() has edited it."""
    return mutate_each(text, [(callee, hazard)], line)[1]


def find_class(text, name):
    """(start of the line of class or struct `name`, offset just past its '{'), or
    None."""
    match = re.search(r"\b(class|struct)\s+%s\b[^;{]*\{" % re.escape(name), text)
    if match is None:
        return None
    return text.rfind("\n", 0, match.start()) + 1, match.end()


def find_object_declaration(text, class_name, variable):
    """Offset just past the declaration statement of `variable` in main, or None."""
    main = find_definition(text, "main")
    if main is None:
        return None
    pattern = r"\b%s\b[^;]*\b%s\b[^;]*;" % (re.escape(class_name), re.escape(variable))
    match = re.compile(pattern).search(text, main[1])
    return match.end() if match else None


def mutate_actor(text, actor, method, hazard):
    """A variant with `hazard` (a HAZARDS entry given to `method`, or an ACTOR_HAZARDS
    entry when `method` is None)."""
    found_class = find_class(text, actor["class"])
    if method is not None:
        # Declarations go before the class, at file scope, not among its members.
        found = find_definition(text, method)
        if found is None or found_class is None:
            return None
        edits = [(found[1], "\n  " + hazard[1] + "\n"), (found_class[0], hazard[0])]
        for offset, insert in sorted(edits, reverse=True):
            text = text[:offset] + insert + text[offset:]
        return INCLUDES + text
    decls, in_class, in_main = hazard
    main = find_definition(text, "main")
    body = found_class[1] if found_class else None
    after = find_object_declaration(text, actor["class"], actor["variable"])
    if main is None or body is None or after is None:
        return None
    edits = [(main[0], decls), (body, " " + in_class + " ")]
    edits.append((after, "\n  " + in_main.replace("NAME", actor["variable"]) + "\n"))
    for offset, insert in sorted(edits, reverse=True):
        text = text[:offset] + insert + text[offset:]
    return INCLUDES + text


def convert(rayify, files, work):
    if not files:  # a program whose converted loops call nothing to mutate
        return {}
    report = os.path.join(work, "report-%d.json" % len(os.listdir(work)))
    subprocess.run([rayify, "convert", "--dry-run", "--no-compile-check", "-o",
                    os.path.join(work, "out"), "--report-file", report] + files,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    with open(report) as f:
        return {entry["input"]: entry for entry in json.load(f)["files"]}


def converted_functions(entry):
    return {c["function"] for c in entry["conversions"]
            if c["kind"] in ("task", "reduction") and "calls" not in c}


def outlined_calls(entry):
    """(loop line, function) for every function an outlined loop body calls. A lambda's
    call operator (`main()::(anonymous class)::operator()`) has no name to find its
    body by: the tool's own tests put hazards in lambdas (LambdaTest)."""
    return sorted({(c["line"], callee) for c in entry["conversions"]
                   if c["kind"] in ("task", "reduction") for callee in c.get("calls", [])
                   if "(anonymous class)" not in callee})


def replayed_calls(entry):
    """(loop line, function, functions its tasks call) for every call an outlined body
    leaves to the driver."""
    return sorted({(c["line"], callee, tuple(c.get("calls", [])))
                   for c in entry["conversions"] if c["kind"] in ("task", "reduction")
                   for callee in c.get("replayed_calls", [])})


def replay_variants(text, program, stem, entry, work):
    """Variants of each replayed call: path -> (program, watched, hazard name), and how
    many could not be made."""
    variants, failures = {}, 0
    for line, callee, calls in replayed_calls(entry):
        cases = {name: [(callee, HAZARDS[name])] for name in REPLAY_HAZARDS}
        cases["control"] = [(callee, (HAZARDS["global-write"][0], ";", ""))]
        for task_callee in calls:
            for name, (written, read) in SHARED_HAZARDS.items():
                cases["%s-%s" % (name, task_callee)] = [(callee, written),
                                                        (task_callee, read)]
        for name, changes in cases.items():
            mutated, moved = mutate_each(text, changes, line)
            if mutated is None:
                print("FAIL: %s: cannot find the definitions for %s" % (program, name))
                failures += 1
                continue
            path = os.path.join(work, "%s__replayed_%d_%s__%s.cpp" % (stem, line, callee, name))
            with open(path, "w") as f:
                f.write(mutated)
            variants[path] = (program, "line %d %s" % (moved, callee),
                              "control" if name.startswith("control") else name)
    return variants, failures


def converted_lines(entry):
    return {c["line"] for c in entry["conversions"] if c["kind"] in ("task", "reduction")}


def inline_local_headers(text, directory):
    """`text` with each `#include "x.h"` of a header beside the program replaced by the
    header's text, so that a class declared there can be mutated in the variant."""
    def expand(match):
        path = os.path.join(directory, match.group(1))
        if not os.path.isfile(path):
            return match.group(0)
        with open(path) as f:
            return f.read().replace("#pragma once", "")
    return re.sub(r'^#include "([^"]+)"[^\n]*$', expand, text, flags=re.M)


def actors(entry):
    return [c for c in entry["conversions"] if c["kind"] == "actor"]


def actor_variants(text, stem, actor, work):
    """(path, method or class name, hazard name) of every variant of one actor."""
    cases = [(method, name, hazard) for method in actor["methods"]
             for name, hazard in HAZARDS.items() if not hazard[2]]
    cases += [(None, name, hazard) for name, hazard in ACTOR_HAZARDS.items()]
    cases.append((None, "control", ("", "", ";")))
    for method, name, hazard in cases:
        mutated = mutate_actor(text, actor, method, hazard)
        where = method or actor["class"]
        path = os.path.join(work, "%s__%s__%s.cpp" % (stem, where, name))
        if mutated is not None:
            with open(path, "w") as f:
                f.write(mutated)
        yield path if mutated is not None else None, where, name


def matching(text, at, opening, closing):
    """The index of the bracket closing the one at `at` (-1 when there is none)."""
    depth = 0
    for i in range(at, len(text)):
        if text[i] == opening:
            depth += 1
        elif text[i] == closing:
            depth -= 1
            if depth == 0:
                return i
    return -1


def loop_text(text, line):
    """The for statement starting on `line` (1-based): header and body."""
    start = sum(len(l) for l in text.splitlines(True)[:line - 1])
    header = text.find("(", start)
    after = matching(text, header, "(", ")") + 1
    body = re.match(r"\s*", text[after:]).end() + after
    end = matching(text, body, "{", "}") if text[body] == "{" else text.find(";", body)
    return text[start:end + 1]


def caught_everywhere(text, line, callee):
    """Whether every call of `callee` in the loop on `line` stands in the block of a
    try with a catch (...): a throw added to the callee is then caught in the task as
    it was in the loop, and the loop rightly still converts."""
    loop = loop_text(text, line)
    caught = []  # the blocks of tries that catch everything
    for attempt in re.finditer(r"\btry\s*\{", loop):
        block_end = matching(loop, attempt.end() - 1, "{", "}")
        handlers, at = [], block_end + 1
        while True:
            handler = re.match(r"\s*catch\s*\(([^)]*)\)\s*\{", loop[at:])
            if handler is None:
                break
            handlers.append(handler.group(1).strip())
            at = matching(loop, at + handler.end() - 1, "{", "}") + 1
        if "..." in handlers:
            caught.append((attempt.end(), block_end))
    calls = [m.start() for m in re.finditer(r"\b%s\s*\(" % re.escape(callee), loop)]
    return bool(calls) and all(any(a <= c < b for a, b in caught) for c in calls)


def sampled(variants, every):
    """One hazard in `every` of each watched function or class, controls all kept."""
    groups = {}  # variants of one function, class or replayed call: paths alike but the hazard
    for path, (_, _, name) in sorted(variants.items()):
        groups.setdefault(path.rsplit("__", 1)[0], []).append((name, path))
    kept = {}
    for turn, key in enumerate(sorted(groups)):
        hazards = sorted(groups[key])
        for position, (name, path) in enumerate(hazards):
            if name == "control" or (turn + position) % every == 0:
                kept[path] = variants[path]
    return kept


def main():
    args = sys.argv[1:]
    every = 1
    if args[:1] == ["--every"]:
        every, args = int(args[1]), args[2:]
    rayify, programs = args[0], args[1:]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as work:
        originals = convert(rayify, programs, work)
        variants = {}  # variant path -> (program, callee, hazard name)
        caught = 0  # throws left out: caught by a catch (...) around every call
        for program in programs:
            with open(program) as f:
                text = f.read()
            stem = os.path.splitext(os.path.basename(program))[0]
            # What each variant watches: the callee's conversion, or for a function
            # an outlined body calls, whether the loop (moved by the edit) converts.
            targets = [(callee, None) for callee in sorted(converted_functions(originals[program]))]
            targets += [(callee, line) for line, callee in outlined_calls(originals[program])]
            for callee, line in targets:
                cases = dict(HAZARDS, control=(HAZARDS["global-write"][0], ";", ""))
                cases.update(parameter_hazards(text, callee))
                for name, hazard in cases.items():
                    if name == "throws" and line is not None and \
                            caught_everywhere(text, line, callee):
                        caught += 1
                        continue
                    mutated = mutate(text, callee, hazard)
                    if mutated is None:
                        print("FAIL: %s: cannot find the definition of %s()" % (program, callee))
                        failed += 1
                        continue
                    where = callee if line is None else "%d_%s" % (line, callee)
                    path = os.path.join(work, "%s__%s__%s.cpp" % (stem, where, name))
                    with open(path, "w") as f:
                        f.write(mutated)
                    watched = callee if line is None else "line %d %s" % (
                        line_after_mutation(text, callee, hazard, line), callee)
                    variants[path] = (program, watched, name)
            replays, unmade = replay_variants(text, program, stem, originals[program], work)
            variants.update(replays)
            failed += unmade
            whole = inline_local_headers(text, os.path.dirname(os.path.abspath(program)))
            for actor in actors(originals[program]):
                for path, where, name in actor_variants(whole, stem, actor, work):
                    if path is None:
                        print("FAIL: %s: cannot place %s in %s" % (program, name, where))
                        failed += 1
                    else:
                        variants[path] = (program, "class " + actor["class"], name)
        made = len(variants)
        variants = sampled(variants, every)
        results = convert(rayify, list(variants), work)
        refused = 0
        for path, (program, callee, name) in sorted(variants.items()):
            entry = results.get(path)
            if entry is None or entry["status"] == "failed":
                print("FAIL: %s with %s in %s(): rayify failed on the variant"
                      % (program, name, callee))
                failed += 1
                continue
            if callee.startswith("class "):
                still = callee[6:] in {c["class"] for c in actors(entry)}
            elif callee.startswith("line "):
                still = int(callee.split()[1]) in converted_lines(entry)
            else:
                still = callee in converted_functions(entry)
            if name == "control" and not still:
                print("FAIL: %s: the control variant of %s() no longer converts"
                      % (program, callee))
                failed += 1
            elif name != "control" and still:
                print("FAIL: %s: %s() still converts with the hazard %s"
                      % (program, callee, name))
                failed += 1
            else:
                passed += 1
                refused += name != "control"
        print("mutation: %d variants of %d programs, %d hazards refused"
              % (len(variants), len(programs), refused) +
              (" (%d made, one hazard in %d of each function run)" % (made, every)
               if every > 1 else "") +
              (", %d throws left out where a catch (...) in the loop catches them" % caught
               if caught else ""))
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
