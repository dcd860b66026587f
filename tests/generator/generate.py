#!/usr/bin/env python3
"""A seeded generator of small programs in the shapes rayify converts, with hazards.

Each program has globals, a few helper functions (some with a hazard: a global write,
a read of a global or global array main changes, output, hidden library state, a
throw, a static counter, a write through a local reference), and a main that runs
loops of the three single-call shapes and of outlined bodies (several updates, a
recurrence the driver replays, a body reading what it updates, own elements of a
vector read and rewritten, a neighbour's read, bookkeeping calls the driver
replays in order, scratch rows each iteration refills and reads around, or a table
handed to a helper by plain reference, which only some helpers write, integer
sums, minima and maxima in an inner loop, helpers storing into the iteration's own
elements (numbers or structs) by reference (or a neighbour's, or keeping the
address), thousands of small points against centres counted at run time, or local
pointers to blocks of a run-time size read, stored into, scattered to, handed to
helpers, or reached under a second name, or flattened grids swept row by row or
reaching into the row before, or a try around work that throws now and then, its
handler catching everything or one class, storing, counting or rethrowing, or entries
of a map updated through references or structured bindings (or carried, peeked at, or
inserted while walked), cells of a struct stored into while the header reads its count
(or changes it, or grows the cells), results of an enumeration type, numbers formatted into and
parsed from string streams of the helpers' own or logged to the program's) over them, some
counting to a bound known only at run time or stepping by a variable,
a helper filling one vector from another by reference (or through a pointer to its
data) that main calls with two different vectors, one vector twice or a vector and
its element (or a point inside it),
a class whose member functions main calls, each with a loop (fields read in a
call's arguments, one handed the object's own field as its target, a mutating method
or a pointer member in the arguments, a body using a field, a static member),
changes globals between loops, and prints every result and every global at the
end, so that any hazard a wrong conversion lets through changes the output. Same seed, same program.

Usage: generate.py SEED OUTPUT.cpp
       generate.py --project SEED DIRECTORY   (main.cpp, lib.cpp, lib.h, CMakeLists.txt)
"""
import os
import random
import sys

HAZARDS = [
    None, None, None, None,  # most helpers are clean
    "global-write", "global-read", "io", "rand", "throw", "static-counter",
    "reference-alias", "pointer-alias", "global-array-write", "global-array-read",
]


# Helpers taking a table by plain reference: one only reads it, the others write it
# in ways only their bodies show.
LOOKUPS = (
    "double look_clean(std::vector<double> &t, int i) {\n"
    "  double s = 0;\n  for (double v : t) s += v;\n  return s * 0.25 + t[i % t.size()];\n}\n"
    "double look_direct(std::vector<double> &t, int i) { t[0] += 1; return t[i % t.size()]; }\n"
    "double look_alias(std::vector<double> &t, int i) {\n"
    "  auto &same = t;\n  same[1] *= 1.5;\n  return t[i % t.size()];\n}\n"
    "double look_pointer(std::vector<double> &t, int i) {\n"
    "  double *p = t.data();\n  *++p += 2;\n  return t[i % t.size()];\n}\n"
    "double look_push(std::vector<double> &t, int i) {\n"
    "  if (t.size() < 9) t.push_back(i);\n  return t[i % t.size()];\n}\n")

# Helpers storing into numbers they are given by reference (out-parameters): only
# stores and reads of their own numbers may convert; one keeps the number's address
# for main to write later, one hands it on, one writes the number after it in memory.
OUTPUTS = (
    "double *g_out = nullptr;\n"
    "void put_clean(int x, double s, double &o, double &p) {\n"
    "  for (int k = 0; k < 3; ++k) s = s * 0.5 + k;\n  o = s;\n  p = s * 0.5 + x;\n}\n"
    "void put_accumulate(int x, double s, double &o, double &p) {\n"
    "  for (int k = 0; k < 3; ++k) o += s / (k + 1);\n  p = o - x;\n}\n"
    "void put_escape(int x, double s, double &o, double &p) { o = s; p = x; g_out = &o; }\n"
    "void twice(double &t) { t = t * 2 + 1; }\n"
    "void put_passed(int x, double s, double &o, double &p) { o = s; p = x; twice(o); }\n"
    "void put_neighbour(int x, double s, double &o, double &p) {\n"
    "  o = s;\n  p += x;\n  (&p)[1] = o * 2;\n}\n"
    # The same for a struct updated field by field: only its own fields may convert.
    "struct Acc {\n  double a = 0.5, b = 0.25;\n};\n"
    "void acc_clean(int x, double s, Acc &o) {\n"
    "  for (int k = 0; k < 3; ++k) s = s * 0.5 + k;\n  o.a = s;\n  o.b += o.a * x;\n}\n"
    "void acc_neighbour(int x, double s, Acc &o) {\n"
    "  o.a = s + x;\n  (&o + 1)->b += o.a;\n}\n"
    "void acc_bound(int x, double s, Acc &o) {\n"
    "  Acc &same = o;\n  same.a = s;\n  o.b -= x;\n}\n")

# Blocks of a run-time size behind local pointers, C style: helpers that read one
# through a const pointer, and one that writes through a plain pointer (its own
# element and the next): loops handing it a block must stay sequential.
BLOCKS = (
    "double peek_block(const double *a, int i) { return a[i] * 0.5 + a[i + 1]; }\n"
    "double fill_block(double *a, int i) { a[i] = i; a[i + 1] += 1; return a[i]; }\n")

# Many small points against a handful of centres counted only at run time: the work
# of an iteration has no bound the analysis can see, so the loop runs in chunks, each
# sent the points whole.
NEAREST = (
    "struct Pt {\n  double x, y;\n};\n"
    "int nearest(const Pt &p, const std::vector<Pt> &c) {\n"
    "  int best = 0;\n  double bd = 1e300;\n"
    "  for (std::size_t k = 0; k < c.size(); ++k) {\n"
    "    double dx = p.x - c[k].x, dy = p.y - c[k].y, d = dx * dx + dy * dy;\n"
    "    if (d < bd) { bd = d; best = static_cast<int>(k); }\n  }\n"
    "  return best;\n}\n")


def helper(rng, index, names):
    name = "work%d" % index
    n = rng.choice([10, 50, 200])
    a, b = rng.randint(1, 9), rng.randint(1, 9)
    body = ["  double s = %d;" % a,
            "  for (int k = 0; k < %d; ++k) s += (x %% %d + k) * %d.0 / (k + 1);" % (n, b + 1, b)]
    if names and rng.random() < 0.3:
        body.append("  s += %s(x + 1) * 0.5;" % rng.choice(names))
    hazard = rng.choice(HAZARDS)
    if hazard == "global-write":
        body.append("  g_count += 1;")
    elif hazard == "global-read":
        body.append("  s += g_phase;")
    elif hazard == "io":
        body.append('  std::printf("work%d(%%d)\\n", x);' % index)
    elif hazard == "rand":
        body.append("  s += std::rand() % 3;")
    elif hazard == "throw":
        body.append("  if (x > %d) throw std::runtime_error(\"too big\");" % rng.randint(5, 40))
    elif hazard == "static-counter":
        body.append("  static int calls = 0;\n  calls += 1;\n  s += calls;")
    elif hazard == "reference-alias":
        body.append("  int &r = g_count;\n  r += 2;")
    elif hazard == "pointer-alias":
        body.append("  double *p = &g_table[x % 4];\n  *p += 1;")
    elif hazard == "global-array-write":
        body.append("  g_table[x % 4] = s;")
    elif hazard == "global-array-read":
        body.append("  s += g_table[x % 4];")
    body.append("  return s;")
    return name, "double %s(int x) {\n%s\n}\n" % (name, "\n".join(body))


def outlined_loop(rng, index, names, count, shape, header):
    """Bodies of several statements, outlined into tasks of their own."""
    f, g = rng.choice(names), rng.choice(names)
    r, b, at, kept = "r%d" % index, "b%d" % index, "at%d" % index, "k%d" % index
    if shape == "body":
        return ["  double %s = 0, %s = -1e300;" % (r, b),
                "  int %s = -1;" % at,
                "  std::vector<double> %s;" % kept,
                "  %s {" % header,
                "    double x = %s(i);" % f,
                "    double y = %s(i + 1) * 0.5;" % g,
                "    %s += x * y;" % r,
                "    if (x > %s) { %s = x; %s = i; }" % (b, b, at),
                "    if (i %% 3 == 0) %s.push_back(y);" % kept,
                "  }",
                "  std::printf(\"%%.17g %%.17g %%d\\n\", %s, %s, %s);" % (r, b, at),
                "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % kept]
    if shape == "elements":
        # Each iteration reads and rewrites its own element, perhaps only some
        # iterations; a neighbour's element is a hazard that must stay sequential.
        at = "i + 1 < %d ? i + 1 : i" % count if rng.random() < 0.25 else "i"
        update = ["    double x = %s[%s];" % (r, at),
                  "    %s[i] = %s(i) + x * 0.5;" % (r, f)]
        if rng.random() < 0.3:
            update = ["    if (i % 3 != 1) {"] + ["  " + line for line in update] + ["    }"]
        return (["  std::vector<double> %s(%d, 0.5);" % (r, count), "  %s {" % header] +
                update + ["  }", "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % r])
    if shape == "tally":
        # A histogram filled in an inner loop: each task counts its runs per bin (bin
        # 2 starts where adding 1.0 rounds, so only replaying every run prints the
        # same). Reading a bin in the body, the running count, must stay sequential.
        lines = ["  double %s[6] = {0, 0, 9007199254740990.0, 0, 0, 0};" % b,
                 "  double %s = 0;" % r,
                 "  %s {" % header,
                 "    for (int j = 0; j < 3; ++j) {",
                 "      long bin = static_cast<long>(%s(i + j)) %% 6;" % f,
                 "      %s[bin < 0 ? -bin : bin] += 1.0;" % b]
        if rng.random() < 0.25:
            lines.append("      %s += %s[0];" % (r, b))
        return lines + ["    }", "  }",
                        "  std::printf(\"%%.17g\\n\", %s);" % r,
                        "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % b]
    if shape == "books":
        # Bookkeeping the driver replays in order: ticks counted in a global of their
        # own (printed at the end), under a condition on what the task computed.
        return ["  double %s = 0;" % r,
                "  %s {" % header,
                "    tick(i);",
                "    double x = %s(i);" % f,
                "    %s += x;" % r,
                "    if (x > %d) tick(1000);" % rng.randint(0, 50),
                "  }",
                "  std::printf(\"%%.17g\\n\", %s);" % r]
    if shape == "rows":
        # Scratch rows every iteration refills, then reads around (past the fill too:
        # rows no iteration writes keep what the loop found). A fill following the
        # counter, directly or through a local of the iteration (one value in this
        # iteration, another in the next), or a write past the filled rows, must stay
        # sequential.
        fill = rng.choice(["6", "6", "6", "i % 4 + 2", "n"])
        past = rng.random() < 0.2
        lines = ["  double %s[9][3] = {};" % b,
                 "  for (int j = 0; j < 9; ++j) %s[j][j %% 3] = j;" % b,
                 "  std::vector<double> %s(%d, 0.0);" % (r, count),
                 "  %s {" % header]
        if fill == "n":
            lines.append("    int n = 7 - i % 3;")
        lines += ["    for (int j = 0; j < %s; ++j) {" % fill,
                 "      %s[j][0] = %s(i + j);" % (b, f),
                 "      for (int c = 1; c < 3; ++c) %s[j][c] = i * 0.5 + j * c;" % b,
                 "    }"]
        if past:
            lines.append("    %s[6][1] += 1.0;" % b)
        lines += ["    double t = 0;",
                  "    for (int j = 1; j < %d; ++j) t += %s[j + 1][0] - %s[j - 1][2];"
                  % (rng.choice([5, 7]), b, b),
                  "    %s[i] = t;" % r,
                  "  }",
                  "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % r,
                  "  for (int j = 0; j < 9; ++j)",
                  "    std::printf(\"%%.17g %%.17g %%.17g\\n\", %s[j][0], %s[j][1], %s[j][2]);"
                  % (b, b, b)]
        return lines
    if shape == "table":
        # A table handed to a helper by plain reference: converted when the helper only
        # reads it, sequential when it writes it (directly, through an alias, a moved
        # pointer or a push_back). Some loops step by a variable known only at run
        # time; one the body changes must stay sequential.
        look = rng.choice(["look_clean", "look_clean", "look_direct", "look_alias",
                           "look_pointer", "look_push"])
        t, step = "t%d" % index, "s%d" % index
        lines = ["  std::vector<double> %s = {0.5, 1.5, 2.5, 3.5};" % t,
                 "  std::vector<double> %s(%d, 0.0);" % (r, count)]
        stepped = rng.random() < 0.4
        if stepped:
            lines.append("  int %s = std::atoi(\"%d\");" % (step, rng.choice([1, 2, 3])))
            header = "for (int i = 0; i < %d; i += %s)" % (count, step)
        lines += ["  %s {" % header,
                  "    %s[i] = %s(%s, i) + %s(i);" % (r, look, t, f)]
        if stepped and rng.random() < 0.25:
            lines.append("    %s = 1;" % step)
        return lines + ["  }",
                        "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % r,
                        "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % t]
    if shape == "folds":
        # Integer sums, minima and maxima updated in an inner loop, which each task
        # folds into one value (sums modulo 2^64: the unsigned total wraps and must
        # still print the same), beside a double sum sent run by run. A maximum whose
        # candidate has another type than it, or a sum the body also reads, must not
        # fold; the read keeps the loop sequential.
        u, lo, d = "u%d" % index, "lo%d" % index, "d%d" % index
        sum_form = rng.choice(["%s += v;", "%s -= v;", "%s = %s + v;", "%s = v + %s;",
                               "%s = %s - v;"])
        top = rng.choice(["if (w > %s) %s = w;", "%s = std::max(%s, w);",
                          "if (%s <= w) %s = w;", "if (v % 1000 > %s) %s = v % 1000;"])
        low = rng.choice(["if (w < %s) %s = w;", "%s = std::min(w, %s);"])
        # Without the inner loop each statement runs once per iteration: it folds
        # across a chunk's iterations when the loop runs in chunks and nothing else
        # comes back (no double sum).
        inner = rng.random() < 0.6
        if not inner and rng.random() < 0.5:
            header = "for (int i = 0; i < std::atoi(\"%d\"); ++i)" % count
        printed, counted = [], []
        lines = ["  long %s = %d;" % (r, rng.randint(-50, 50)),
                 "  int %s = -1, %s = 1 << 30;" % (b, lo),
                 "  unsigned %s = 4294967000u;" % u,
                 "  double %s = 0;" % d,
                 "  %s {" % header,
                 "    for (int j = 0; j < 3; ++j) {" if inner else "    {",
                 "      long v = static_cast<long>(%s(i + %s) * 1000003.0) %% 99991 - 40000;"
                 % (f, "j" if inner else "1"),
                 "      int w = static_cast<int>(v % 977);",
                 "      " + sum_form.replace("%s", r),
                 "      " + top.replace("%s", b),
                 "      " + low.replace("%s", lo),
                 "      %s += static_cast<unsigned>(v) * 2654435761u;" % u]
        if inner or rng.random() < 0.5:
            lines.append("      %s += v * 0.25;" % d)
        if rng.random() < 0.5:
            # A double maximum among NaNs and signed zeros: folds as the first of the
            # largest; `>=` and std::max(x, t) must not fold.
            pk = "pk%d" % index
            lines = ["  double %s = %s;" % (pk, rng.choice(["-1.0", "0.0", "-0.0"]))] + lines
            lines.append("      double x = v % 89 == 0 ? std::nan(\"\") : "
                         "(v % 5 == 0 ? (v % 2 ? -0.0 : 0.0) : v * 1e-3);")
            lines.append("      " + rng.choice(["if (x > %s) %s = x;", "%s = std::max(%s, x);",
                                                "if (x >= %s) %s = x;",
                                                "%s = std::max(x, %s);"]).replace("%s", pk))
            printed.append(pk)
        if rng.random() < 0.5:
            # An argmax or argmin with many ties: each task keeps the run its own
            # comparison would have kept last.
            am, ai = "am%d" % index, "ai%d" % index
            op = rng.choice([">", ">=", "<", "<="])
            lines = ["  int %s = %s, %s = -1;" % (am, "-9" if ">" in op else "9", ai)] + lines
            lines.append("      if (w / 100 %s %s) { %s = w / 100; %s = %s; }"
                         % (op, am, am, ai, "j" if inner else "i"))
            counted.append("%s, %s" % (am, ai))
        if rng.random() < 0.2:
            lines.append("      %s += %s %% 3;" % (u, r))
        if rng.random() < 0.3:
            lines.append("      if (w %% 2 == 0) ++%s;" % r)
        return lines + ["    }", "  }",
                        "  std::printf(\"%%ld %%d %%d %%u %%.17g\\n\", %s, %s, %s, %s, %s);"
                        % (r, b, lo, u, d)] + [
                            "  std::printf(\"%%g\\n\", %s);" % p for p in printed] + [
                            "  std::printf(\"%%d %%d\\n\", %s);" % c for c in counted]
    if shape == "outputs":
        # A helper storing into the iteration's own elements by reference converts;
        # the same array's neighbour, an index only known at run time (with
        # repeats), or a helper that lets the number out must stay sequential.
        put = rng.choice(["put_clean", "put_clean", "put_accumulate", "put_escape",
                          "put_passed", "put_neighbour"])
        q, idx = "q%d" % index, "x%d" % index
        # Half the stored values come from a helper, hazards and all.
        value = "%s(i)" % f if rng.random() < 0.5 else "i * 0.5 + 1"
        first = "%s[i + 1]" % r if rng.random() < 0.2 else "%s[i]" % r
        second = rng.choice(["%s[i]" % q, "%s[i]" % q, "%s[i + 1]" % q, "%s[i + 1]" % r,
                             "%s[%s[i]]" % (q, idx)])
        return ["  std::vector<double> %s(%d + 2, 0.75), %s(%d + 2, 0.25);"
                % (r, count, q, count),
                "  std::vector<int> %s(%d);" % (idx, count),
                "  for (int j = 0; j < %d; ++j) %s[j] = (j * 7 + 3) %% %d;"
                % (count, idx, rng.choice([count, 3])),
                "  %s %s(i, %s, %s, %s);" % (header, put, value, first, second),
                "  if (g_out) {", "    *g_out += 100;", "    g_out = nullptr;", "  }",
                "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % r,
                "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % q]
    if shape == "records":
        # A struct given by reference: its own element converts when the helper only
        # reads and stores its fields; a neighbour's element (or a helper writing the
        # next one) must stay sequential.
        put = rng.choice(["acc_clean", "acc_clean", "acc_neighbour", "acc_bound"])
        at = rng.choice(["i", "i", "i", "i + 1 < %d ? i + 1 : 0" % count])
        value = "%s(i)" % f if rng.random() < 0.5 else "i * 0.5 + 1"
        return ["  std::vector<Acc> %s(%d + 1);" % (r, count),
                "  %s %s(i, %s, %s[%s]);" % (header, put, value, r, at),
                "  for (const Acc &e : %s) std::printf(\"%%.17g %%.17g\\n\", e.a, e.b);"
                % r]
    if shape == "nearest":
        # The loop's own counts are in the thousands, not the caller's `count`; a
        # body that also moves the centre it found must stay sequential.
        n = rng.choice([1500, 3000])
        pts, c, lab = "pt%d" % index, "c%d" % index, "l%d" % index
        head = ("for (int i = 0; i < std::atoi(\"%d\"); ++i)" % n
                if rng.random() < 0.3 else "for (int i = 0; i < %d; ++i)" % n)
        body = "%s[i] = nearest(%s[i], %s);" % (lab, pts, c)
        if rng.random() < 0.25:
            body = "{ %s %s[%s[i]].x += 1e-3; }" % (body, c, lab)
        return ["  std::vector<Pt> %s(%d);" % (pts, n),
                "  for (int j = 0; j < %d; ++j)" % n,
                "    %s[j] = {std::fmod(j * 0.37, 7.0), std::fmod(j * 0.91, 5.0) + %s(j %% 5) * 1e-3};"
                % (pts, f),
                "  std::vector<Pt> %s(std::atoi(\"%d\"));" % (c, rng.choice([2, 5, 9])),
                "  for (std::size_t j = 0; j < %s.size(); ++j) %s[j] = {j * 1.3, j * 0.7};"
                % (c, c),
                "  std::vector<int> %s(%d);" % (lab, n),
                "  %s %s" % (head, body),
                "  long %s_sum = 0;" % lab,
                "  for (int j = 0; j < %d; ++j) %s_sum = %s_sum * 31 %% 1000003 + %s[j];"
                % (n, lab, lab, lab),
                "  std::printf(\"%%ld\\n\", %s_sum);" % lab,
                "  for (const Pt &p : %s) std::printf(\"%%.17g %%.17g\\n\", p.x, p.y);" % c]
    if shape == "guarded":
        return guarded_loop(rng, index, f, count, header)
    if shape == "recurrence":
        return ["  std::vector<double> %s(%d + 1, 1.0);" % (r, count),
                "  %s %s[i + 1] = %s[i] * 0.5 + %s(i);" % (header, r, r, f),
                "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % r]
    if shape == "blocks":
        return block_loop(rng, index, f, count, header)
    if shape == "grid":
        return grid_loop(rng, index, f, count, header)
    if shape == "matrix":
        return matrix_loop(rng, index, f, count, header)
    # The task would read what the loop updates: must stay sequential.
    return ["  double %s = 1;" % r,
            "  %s { double x = %s(i) + %s; %s += x * 0.001; }" % (header, f, r, r),
            "  std::printf(\"%%.17g\\n\", %s);" % r]


def guarded_loop(rng, index, f, count, header):
    """A try in the body around work that throws now and then (the body's own throw,
    or a helper's). A handler catching everything and storing the iteration's own
    element converts: each task catches what the iteration caught. A handler that
    rethrows (caught again outside the loop, which must stop where it stopped) or one
    counting failures in a variable of the loop's must stay sequential, or print the
    same; one catching the class the body throws converts unless the helper throws,
    and one catching std::exception converts also when it does (a runtime_error)."""
    r, failed = "r%d" % index, "f%d" % index
    handler = rng.choice([["%s[i] = -1.0;" % r], ["%s[i] = -1.0;" % r],
                          ["%s[i] = -1.0;" % r, "throw;"], ["++%s;" % failed]])
    caught = rng.choice(["...", "...", "...", "const std::runtime_error &",
                         "const std::exception &"])
    return ["  std::vector<double> %s(%d, 0.5);" % (r, count),
            "  int %s = 0;" % failed,
            "  try {",
            "    %s {" % header,
            "      try {",
            "        double x = %s(i);" % f,
            "        if ((i + %d) %% 7 == 0) throw std::runtime_error(\"bad\");"
            % rng.randint(0, 6),
            "        %s[i] = x * 0.5;" % r,
            "      } catch (%s) {" % caught] + ["        " + line for line in handler] + [
            "      }",
            "    }",
            "  } catch (const std::exception &e) {",
            "    std::printf(\"stopped: %s\\n\", e.what());",
            "  }",
            "  std::printf(\"%%d\\n\", %s);" % failed,
            "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % r]


def block_loop(rng, index, f, count, header):
    """Local pointers to blocks whose size is read at run time: one the loop reads, one
    it stores into. Converting: reading one block and storing into another, a scatter,
    each iteration's own element, a helper reading through a const pointer. Hazards,
    which must stay sequential: reading a neighbour of what the loop stores, a second
    name for the block it stores into, a pointer stepped or set twice, a helper
    writing through the pointer."""
    src, dst, n = "src%d" % index, "dst%d" % index, "n%d" % index
    lines = ["  int %s = std::atoi(\"%d\") + 1;" % (n, count)]
    by_new = rng.random() < 0.5
    if not by_new:
        lines.append("  double *%s = (double *)std::malloc(sizeof(double) * %s);" % (src, n))
    else:
        lines += ["  double *%s;" % src, "  %s = new double[%s];" % (src, n)]
    lines += ["  for (int j = 0; j < %s; ++j) %s[j] = j * 0.25 + 1;" % (n, src),
              "  double *%s = (double *)std::calloc(%s, sizeof(double));" % (dst, n)]
    kind = rng.choice(["clean", "own", "scatter", "peek", "neighbour", "view", "stepped",
                       "twice", "filled"])
    body = {
        "clean": "%s[i] = %s(i) + %s[i];" % (dst, f, src),
        "own": "%s[i] = %s(i) * 0.5 + %s[i];" % (src, f, src),
        "scatter": "%s[(i * 5) %% %d] = %s(i) + %s[i + 1];" % (dst, count, f, src),
        "peek": "%s[i] = %s(i) + peek_block(%s, i);" % (dst, f, src),
        "neighbour": "%s[i] = %s(i) + %s[i + 1];" % (dst, f, dst),
        "view": "%s[i] = %s(i) + view%d[i + 1];" % (dst, f, index),
        "stepped": "%s[i] = %s(i) + %s[i];" % (dst, f, src),
        "twice": "%s[i] = %s(i) + %s[i];" % (dst, f, src),
        "filled": "%s[i] = %s(i) + fill_block(%s, i);" % (dst, f, src),
    }[kind]
    if kind == "view":
        lines.append("  double *view%d = %s;" % (index, dst))
    if kind == "stepped":
        lines += ["  %s[0] = 2;" % src, "  ++%s;" % src]
    if kind == "twice":
        lines += ["  double *old%d = %s;" % (index, src),
                  "  %s = (double *)std::malloc(sizeof(double) * %s);" % (src, n),
                  "  for (int j = 0; j < %s; ++j) %s[j] = old%d[j] * 2;" % (n, src, index),
                  ("  delete[] old%d;" if by_new else "  std::free(old%d);") % index]
        by_new = False
    lines += ["  %s { %s }" % (header, body),
              "  for (int j = 0; j + 1 < %s; ++j) std::printf(\"%%.17g %%.17g\\n\", %s[j], %s[j]);"
              % (n, src, dst)]
    if kind == "stepped":
        lines.append("  --%s;" % src)
    lines.append("  std::free(%s);" % dst)
    lines.append("  delete[] %s;" % src if by_new else "  std::free(%s);" % src)
    return lines


def grid_loop(rng, index, f, count, header):
    """A grid of `count` rows kept the C way, one block, element (i, j) at
    `g[i * w + j]` with `w` read at run time. Converting: each iteration reads and
    writes only its own row, through an index set first (`k = i * w + j;`), spelled in
    place and reading the element to its left, or beside a block it only reads.
    Hazards, each reading an element an earlier iteration stored so that a wrong
    conversion prints something else: the row before, an inner loop one step past the
    width or starting one before the row, an index moved into the row before, a width
    the loop changes."""
    g, src = "grid%d" % index, "gsrc%d" % index
    w, k = "gw%d" % index, "gk%d" % index
    width = rng.randint(2, 5)
    lines = ["  int %s = std::atoi(\"%d\");" % (w, width), "  int %s = 0;" % k,
             "  double *%s = (double *)std::malloc(sizeof(double) * (%d + 1) * %s);"
             % (g, count, w),
             "  double *%s = new double[(%d + 1) * %s];" % (src, count, w),
             "  for (int j = 0; j < (%d + 1) * %s; ++j) %s[j] = j * 0.5 + 1, %s[j] = j;"
             % (count, w, g, src)]
    kind = rng.choice(["through-index", "left", "beside", "row-before", "past-width",
                       "before-row", "moved-index", "width-changes"])
    row = "%s[i * %s + j]" % (g, w)
    inner = "for (int j = 0; j < %s; ++j)" % w
    body = {
        "through-index": "%s { %s = i * %s + j; %s[%s] = %s(i) * 0.5 + %s[%s]; "
                         "if (%s[%s] > 50) %s[%s] -= 1; }"
                         % (inner, k, w, g, k, f, g, k, g, k, g, k),
        "left": "for (int j = 1; j < %s; ++j) %s = %s(i) + 0.5 * %s[j + %s * i - 1];"
                % (w, row, f, g, w),
        "beside": "%s %s = %s(i) + %s[((i + 1) %% %d) * %s + j] + %s;"
                  % (inner, row, f, src, count, w, row),
        "row-before": "%s %s = %s(i) * 0.5 + %s[(i - 1) * %s + j];"
                      % (inner, row, f, g, w),
        "past-width": "for (int j = 0; j <= %s; ++j) %s = %s(i) * 0.5 + %s;"
                      % (w, row, f, row),
        "before-row": "for (int j = -1; j < %s; ++j) %s = %s(i) * 0.5 + %s;"
                      % (w, row, f, row),
        "moved-index": "%s { %s = i * %s + j; if (j == 0) %s -= 1; %s[%s] = %s(i) * 0.5 "
                       "+ %s[%s]; }" % (inner, k, w, k, g, k, f, g, k),
        "width-changes": "{ %s %s = %s(i) * 0.5 + %s; if (i == 2) %s = %s - 1; }"
                         % (inner, row, f, row, w, w),
    }[kind]
    # Hazards reach back one element or row: the loop starts at row 1.
    if kind in ("row-before", "before-row", "moved-index"):
        header = header.replace("int i = 0", "int i = 1")
    lines += ["  %s %s" % (header, body),
              "  for (int j = 0; j < (%d + 1) * %s; ++j) std::printf(\"%%.17g\\n\", %s[j]);"
              % (count, w, g),
              "  std::printf(\"%%d\\n\", %s);" % w,
              "  std::free(%s);" % g, "  delete[] %s;" % src]
    return lines


def matrix_loop(rng, index, f, count, header):
    """Rows of a std::vector of std::vectors updated under an inner loop, so that no
    iteration reaches its row when the inner loop runs none. Converting: a matrix
    made with the loop's count (its rows then exist for every chunk), or one that
    grows after the loop (its rows are checked against the size). Hazards: a matrix one
    row short whose last iteration's inner loop runs none (a chunk sent rows past the
    end would read them), and each row read from the row before."""
    m, w = "mat%d" % index, rng.randint(2, 4)
    kind = rng.choice(["made", "grows", "short", "row-before"])
    rows = "%d" % (count - 1 if kind == "short" else count)
    width = "(i < %d ? %d : 0)" % (count - 1, w) if kind == "short" else "%d" % w
    source = "%s[i - 1][j]" % m if kind == "row-before" else "%s[i][j]" % m
    if kind == "row-before":
        header = header.replace("int i = 0", "int i = 1")
    lines = ["  std::vector<std::vector<double>> %s(%s, std::vector<double>(%d, 1.5));"
             % (m, rows, w),
             "  %s for (int j = 0; j < %s; ++j) %s[i][j] += %s(i) * 0.5 + %s * 0.25;"
             % (header, width, m, f, source)]
    if kind == "grows":
        lines.append("  %s.emplace_back(%d, 2.5);" % (m, w))
    lines.append("  for (const auto &row : %s) for (double v : row) "
                 "std::printf(\"%%.17g\\n\", v);" % m)
    return lines


def map_loop(rng, index, f, count):
    """A range-for over a std::map (or unordered_map) updating each entry through a
    reference: `e.second` of a plain reference, or the name a structured binding gives
    it. Converting: each entry's value from its own key and value. Hazards, which must
    stay sequential: a value carried from one entry to the next, a read of another
    entry (which the loop may already have changed), and an insertion the walk may
    reach later."""
    m = "map%d" % index
    kind = rng.choice(["pairs", "bindings", "bindings", "carried", "peek", "grows"])
    held = rng.choice(["std::map", "std::map", "std::unordered_map"])
    if kind in ("peek", "grows"):
        held = "std::map"  # its walk order makes the hazard show
    lines = ["  %s<int, double> %s;" % (held, m),
             "  for (int k = 0; k < %d; ++k) %s[k * 3] = k * 0.5 + 1;" % (count, m)]
    body = {
        "pairs": "for (auto &e : %s) e.second = %s(e.first %% 97) * 0.5 + e.second;"
                 % (m, f),
        "bindings": "for (auto &[k, v] : %s) v = %s(k %% 97) + v * 0.25;" % (m, f),
        "carried": "for (auto &[k, v] : %s) { v = %s(k %% 97) + last%d; last%d = v * 0.5; }"
                   % (m, f, index, index),
        "peek": "for (auto &[k, v] : %s) v = %s(k %% 97) + %s[(k + 3) %% %d];"
                % (m, f, m, 3 * count),
        "grows": "for (auto &[k, v] : %s) { v = %s(k %% 97); if (k %% 2 == 0) %s[k + 1] = v; }"
                 % (m, f, m),
    }[kind]
    if kind == "carried":
        lines.append("  double last%d = 0;" % index)
    # An unordered_map's walk order is the same in both programs: the driver keeps it.
    return lines + ["  " + body,
                    "  for (const auto &[k, v] : %s) std::printf(\"%%d %%.17g\\n\", k, v);"
                    % m]


def grade_loop(rng, index, f, count, header):
    """Results of an enumeration type, sent back from tasks as numbers
    (MSGPACK_ADD_ENUM): each iteration grades its own value, or (a hazard) grades
    against the grade before it."""
    r = "gr%d" % index
    lines = ["  std::vector<Grade> %s(%d, Grade::kMid);" % (r, count)]
    if rng.random() < 0.25:
        header = header.replace("int i = 0", "int i = 1")
        lines.append("  %s %s[i] = %s[i - 1] == Grade::kHigh ? Grade::kLow : grade_of(%s(i));"
                     % (header, r, r, f))
    else:
        lines.append("  %s %s[i] = grade_of(%s(i) - %d);" % (header, r, f, rng.randint(0, 40)))
    return lines + ["  for (Grade v : %s) std::printf(\"%%d\\n\", static_cast<int>(v));" % r]


def text_loop(rng, index, f, count, header):
    """Numbers formatted into and read back from string streams the helpers declare
    themselves: work on locals, which converts. A helper that also writes the
    program's own stream, g_log, must stay sequential (g_log is printed at the end)."""
    s = "s%d" % index
    show = rng.choice(["shown", "shown", "shown_logged"])
    return ["  std::vector<std::string> %s(%d);" % (s, count),
            "  %s %s[i] = %s(%s(i)) + \" \" + shown(parsed(%s(%s(i))) * 2);"
            % (header, s, show, f, show, f),
            "  for (const std::string &t : %s) std::printf(\"%%s\\n\", t.c_str());" % s]


def fields_loop(rng, index, f, count):
    """A struct whose cells the loop stores into while the header reads its count or
    the tasks its scale, which no iteration changes: converts. Hazards, each changing
    how far the original runs at an iteration it reaches: the count the header reads
    changed by name or through a reference, or the cells grown by a method while the
    header reads their size."""
    st, k = "st%d" % index, rng.randint(1, count - 2)
    kind = rng.choice(["count", "count", "scale", "changes-count", "grows", "through-reference"])
    lines = ["  Field %s{%d, %s, std::vector<double>(%d, 0.5)};"
             % (st, count, rng.choice(["0.5", "1.5"]), count)]
    header = "for (int i = 0; i < %s.n; ++i)" % st
    body = {
        "count": "%s.cells[i] = %s(i) * 0.5;" % (st, f),
        "scale": "%s.cells[i] = %s(i) * %s.scale + %s.cells[(i + 1) %% %s.n];"
                 % (st, f, st, st, st),
        "changes-count": "{ %s.cells[i] = %s(i); if (i == %d) %s.n = %d; }"
                         % (st, f, k, st, k + 1),
        "grows": "{ %s.cells[i] = %s(i); if (i == %d) %s.Grow(); }" % (st, f, k, st),
        "through-reference": "{ %s.cells[i] = %s(i); if (i == %d) lim%d = %d; }"
                             % (st, f, k, index, k + 1),
    }[kind]
    if kind == "grows":
        header = "for (std::size_t i = 0; i < %s.cells.size(); ++i)" % st
    if kind == "through-reference":
        lines.append("  int &lim%d = %s.n;" % (index, st))
    return lines + ["  %s %s" % (header, body),
                    "  std::printf(\"%%d\\n\", %s.n);" % st,
                    "  for (double v : %s.cells) std::printf(\"%%.17g\\n\", v);" % st]


def loop(rng, index, names, count):
    callee = rng.choice(names)
    shape = rng.choice(["append", "indexed", "reduction", "body", "recurrence",
                        "reads-result", "elements", "books", "rows", "tally", "table",
                        "folds", "outputs", "nearest", "records", "blocks", "grid",
                        "matrix", "guarded", "maps", "grades", "texts", "fields"])
    var = "r%d" % index
    header = "for (int i = 0; i < %d; ++i)" % count
    if rng.random() < 0.2:
        header = "for (int i = 0; i < %d; ++i, ++g_phase)" % count
    elif rng.random() < 0.3:
        # A count known only at run time: the loop runs in chunks.
        header = "for (int i = 0; i < std::atoi(\"%d\"); ++i)" % count
    if shape == "maps":
        return map_loop(rng, index, callee, count)
    if shape == "fields":
        return fields_loop(rng, index, callee, count)
    if shape == "grades":
        return grade_loop(rng, index, callee, count, header)
    if shape == "texts":
        return text_loop(rng, index, callee, count, header)
    if shape in ("body", "recurrence", "reads-result", "elements", "books", "rows",
                 "tally", "table", "folds", "outputs", "nearest", "records", "blocks",
                 "grid", "matrix", "guarded"):
        return outlined_loop(rng, index, names, count, shape, header)
    if shape == "append":
        return ["  std::vector<double> %s;" % var,
                "  %s %s.push_back(%s(i));" % (header, var, callee),
                "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % var]
    if shape == "indexed":
        return ["  std::vector<double> %s(%d);" % (var, count),
                "  %s %s[i] = %s(i);" % (header, var, callee),
                "  for (double v : %s) std::printf(\"%%.17g\\n\", v);" % var]
    return ["  double %s = 0;" % var,
            "  %s %s += %s(i);" % (header, var, callee),
            "  std::printf(\"%%.17g\\n\", %s);" % var]


def buffer_pass(rng, index, names):
    """A driver helper filling one vector by reference from another reference (or a
    scalar by const reference, or a pointer), and main's calls of it: two different
    vectors, the same one twice, or a vector and its own element (or a point inside
    it), which only the first allows."""
    callee = rng.choice(names)
    name = "pass%d" % index
    a, b = "p%d_a" % index, "p%d_b" % index
    read = rng.choice(["in[i]", "in[(i + 1) % in.size()]", "in[0]"])
    value = "%s(static_cast<int>(%s) %% 97 + static_cast<int>(i))" % (callee, read)
    if rng.random() < 0.5:
        value += " + in[i] * 0.5"  # an outlined body
    params = "const std::vector<double> &in, std::vector<double> &out"
    by_element = rng.random() < 0.3
    # Or read through a pointer: given another vector's data, the vector itself, or
    # a point inside it.
    by_pointer = not by_element and rng.random() < 0.4
    if by_element:
        params = "std::vector<double> &out, const double &by"
        value = "%s(static_cast<int>(i)) + by" % callee
    elif by_pointer:
        params = "std::vector<double> &out, const double *in"
        # At most in[4]: `in` may start one past the vector's first element.
        read = rng.choice(["in[i % 5]", "in[(i + 1) % 5]", "in[0]"])
        value = "%s(static_cast<int>(%s) %% 97 + static_cast<int>(i))" % (callee, read)
    text = ("void %s(%s) {\n"
            "  for (std::size_t i = 0; i < out.size(); ++i) out[i] = %s;\n}\n"
            % (name, params, value))
    calls = ["std::vector<double> %s(6), %s(6);" % (a, b),
             "for (int k = 0; k < 6; ++k) { %s[k] = k + 1; %s[k] = 2 * k + 3; }" % (a, b)]
    if by_element:
        calls.append("%s(%s, %s[%d]);" % (name, a, b, rng.randint(0, 5)))
        if rng.random() < 0.75:
            calls.append("%s(%s, %s[%d]);" % (name, a, a, rng.randint(0, 4)))
    elif by_pointer:
        calls += ["%s(%s, %s.data());" % (name, a, b), "%s(%s, %s.data());" % (name, b, a)]
        if rng.random() < 0.75:
            calls.append("%s(%s, %s.data() + %d);" % (name, a, a, rng.randint(0, 1)))
    else:
        calls += ["%s(%s, %s);" % (name, a, b), "%s(%s, %s);" % (name, b, a)]
        if rng.random() < 0.75:
            calls.append("%s(%s, %s);" % (name, a, a))
    calls.append("for (int k = 0; k < 6; ++k) std::printf(\"%%.17g %%.17g\\n\", %s[k], %s[k]);"
                 % (a, b))
    return text, calls


def holder(rng, names, count):
    """A class whose member functions main calls, each with a loop: driver code. Their
    tasks may read the object's fields in a call's arguments, but not store into what
    those reads reach: a target that is a field (`h.Fill(h.values)`), a mutating method
    in the arguments, or a pointer member to the target must stay sequential; a body
    using a field stays sequential too. main uses a field directly, so the class is no
    actor."""
    f, g = rng.choice(names), rng.choice(names)
    arg = rng.choice(["values[i]", "values[i]", "Next()", "(*seen)[i]"])
    use = rng.choice(["0.5", "0.5", "values[i %% %d]" % count])
    text = (
        "struct Holder {\n"
        "  std::vector<double> values = std::vector<double>(%d, 0.5);\n"
        "  int next = 0;\n"
        "  const std::vector<double> *seen = nullptr;\n"
        "  double Next() { return values[next++ %% values.size()] + 1; }\n"
        "  void Fill(std::vector<double> &out) {\n"
        "    for (int i = 1; i < static_cast<int>(out.size()); ++i)\n"
        "      out[i] = %s(static_cast<int>(values[i - 1] * 3) %% 97 + i);\n"
        "  }\n"
        "  std::vector<double> Mapped() {\n"
        "    std::vector<double> out(values.size(), 1.0);\n"
        "    seen = &out;\n"
        "    for (std::size_t i = 0; i < values.size(); ++i)\n"
        "      out[i] = %s(static_cast<int>(%s * 7) %% 97 + static_cast<int>(i));\n"
        "    return out;\n"
        "  }\n"
        "  double Outlined() const {\n"
        "    double t = 0;\n"
        "    for (int i = 0; i < %d; ++i) {\n"
        "      double x = %s(i);\n"
        "      t += x * %s;\n"
        "    }\n"
        "    return t;\n"
        "  }\n"
        "  static double Total(int n) {\n"
        "    double t = 0;\n"
        "    for (int i = 0; i < n; ++i) {\n"
        "      double x = %s(i);\n"
        "      t += x * 0.25 + t * 0.001;\n"
        "    }\n"
        "    return t;\n"
        "  }\n"
        "};\n" % (count, f, g, arg, count, f, use, g))
    target = rng.choice(["m0", "h.values"])
    calls = ["Holder h;",
             "for (int k = 0; k < %d; ++k) h.values[k] = k * 1.25;" % count,
             "std::vector<double> m0(%d, 2.0);" % count,
             "h.Fill(%s);" % target,
             "std::vector<double> m1 = h.Mapped();",
             "std::printf(\"%%.17g %%.17g %%d\\n\", h.Outlined(), Holder::Total(%d), h.next);"
             % count,
             "for (int k = 0; k < %d; ++k)" % count,
             # Not %-formatted: one % each.
             "  std::printf(\"%.17g %.17g %.17g\\n\", m0[k], m1[k], h.values[k]);"]
    return text, calls


INCLUDES = ("#include <algorithm>\n#include <cmath>\n#include <cstdio>\n#include <cstdlib>\n"
            "#include <iomanip>\n#include <map>\n#include <sstream>\n#include <stdexcept>\n"
            "#include <string>\n#include <unordered_map>\n#include <vector>\n")

GLOBALS = ("int g_count = 0;\nint g_phase = 0;\ndouble g_table[4] = {1, 2, 3, 4};\n"
           "unsigned long g_ticks = 0;\n"
           "void tick(int n) { g_ticks = g_ticks * 3 + n + g_phase; }\n" +
           "std::ostringstream g_log;\n")

# A struct the fields loops store into, an enumeration the grade loops send back from
# tasks, and the helpers the text loops call.
FIELDS = ("struct Field {\n  int n;\n  double scale;\n  std::vector<double> cells;\n"
          "  void Grow() { cells.push_back(scale); }\n};\n")

GRADES = ("enum class Grade : short { kLow = -2, kMid, kHigh = 7 };\n"
          "Grade grade_of(double x) {\n"
          "  return x > 60 ? Grade::kHigh : x > 30 ? Grade::kMid : Grade::kLow;\n}\n")

TEXTS = ("std::string shown(double x) {\n"
         "  std::ostringstream os;\n"
         "  os << std::fixed << std::setprecision(3) << x;\n"
         "  return os.str();\n}\n"
         "double parsed(const std::string &text) {\n"
         "  std::istringstream in(text);\n"
         "  double x = 0;\n  in >> x;\n  return x;\n}\n"
         "std::string shown_logged(double x) {\n"
         "  g_log << x << ';';\n"
         "  return shown(x);\n}\n")


def pieces(seed):
    """What a program is made of: the definitions main calls, and main."""
    rng = random.Random(seed)
    names, functions = [], []
    for index in range(rng.randint(1, 4)):
        name, text = helper(rng, index, names)
        names.append(name)
        functions.append(text)
    body = []
    for index in range(rng.randint(1, 3)):
        body += loop(rng, index, names, rng.choice([4, 12, 40]))
        if rng.random() < 0.4:
            body.append("  g_phase += %d;" % rng.randint(1, 5))
        if rng.random() < 0.3:
            body.append("  g_table[%d] += %d;" % (rng.randint(0, 3), rng.randint(1, 5)))
    if rng.random() < 0.5:
        text, calls = buffer_pass(rng, 0, names)
        functions.append(text)
        body += ["  " + line for line in calls]
    if rng.random() < 0.5:
        text, calls = holder(rng, names, rng.choice([4, 12, 40]))
        functions.append(text)
        body += ["  " + line for line in calls]
    body.append('  std::printf("count %d phase %d ticks %lu\\n", g_count, g_phase, g_ticks);')
    body.append('  for (double t : g_table) std::printf("%.17g\\n", t);')
    body.append('  std::printf("log %s\\n", g_log.str().c_str());')
    definitions = (GLOBALS + LOOKUPS + OUTPUTS + NEAREST + BLOCKS + FIELDS + GRADES + TEXTS + "\n" +
                   "\n".join(functions))
    main = ("int main() {\n  try {\n" +
            "\n".join("  " + line for line in body) +
            "\n  } catch (const std::exception &e) {\n"
            "    std::printf(\"caught %s\\n\", e.what());\n  }\n  return 0;\n}\n")
    return definitions, main


def generate(seed):
    definitions, main = pieces(seed)
    return ("// Generated by tests/generator/generate.py, seed %d.\n" % seed + INCLUDES +
            "\n" + definitions + "\n" + main)


def top_level_items(text):
    """The definitions of `text`, each whole: a struct, a function or a variable."""
    items, current, depth = [], [], 0
    for line in text.splitlines():
        if not current and not line.strip():
            continue
        current.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 0 and line.rstrip().endswith((";", "}")):
            items.append("\n".join(current))
            current = []
    return items


def declaration(item):
    """How another file names a definition: a struct whole, a function's prototype, a
    variable's extern declaration."""
    head = item.split("\n", 1)[0]
    if head.startswith(("struct ", "enum ")):
        return item
    brace, paren = head.find("{"), head.find("(")
    if brace >= 0 and 0 <= paren < brace:
        return head[:brace].rstrip() + ";"
    return "extern " + head.split(" = ", 1)[0].rstrip(";") + ";"


def generate_project(seed):
    """The same program as three files: main.cpp holds only main, lib.cpp every other
    definition, lib.h what main.cpp needs of them. Every hazard of a helper is then
    visible to main's loops only through what the project knows of another file, and
    a helper's own loop (pass0) is driver code in a file without main."""
    definitions, main = pieces(seed)
    items = top_level_items(definitions)
    header = ("// Generated by tests/generator/generate.py, seed %d.\n#pragma once\n" % seed +
              INCLUDES + "\n" + "\n".join(declaration(item) for item in items) + "\n")
    lib = '#include "lib.h"\n\n' + "\n".join(
        item for item in items if not item.startswith(("struct ", "enum "))) + "\n"
    return {
        "lib.h": header,
        "lib.cpp": lib,
        "main.cpp": '#include "lib.h"\n\n' + main,
        "CMakeLists.txt": "cmake_minimum_required(VERSION 3.16)\nproject(generated CXX)\n"
                          "set(CMAKE_CXX_STANDARD 17)\n"
                          "add_executable(prog main.cpp lib.cpp)\n",
    }


if __name__ == "__main__":
    if len(sys.argv) > 3 and sys.argv[1] == "--project":
        os.makedirs(sys.argv[3], exist_ok=True)
        for name, text in generate_project(int(sys.argv[2])).items():
            with open(os.path.join(sys.argv[3], name), "w") as out:
                out.write(text)
    else:
        with open(sys.argv[2], "w") as out:
            out.write(generate(int(sys.argv[1])))
