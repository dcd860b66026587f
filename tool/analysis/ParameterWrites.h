// Whether a function changes what a reference or pointer parameter leads to, judged
// from every use of the parameter in its body rather than from its type: code as
// people write it passes big read-only arrays and containers by plain `T &` or `T *`
// (NPB's helpers, a benchmark's lookup table), and a task may read a copy of those.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>

#include <set>

namespace rayify {

class ProjectSummaries;

/// False only when every use of parameter `index` in the definition of `callee`
/// provably reads what it leads to: a read of a value, a const member, an accessor
/// whose result is only read, a copy, or an argument the callee it goes to in turn
/// provably only reads. Anything else counts as a write: an assignment or increment
/// through it, a non-const member, an alias that is stored, returned or captured, a
/// call rayify cannot see into, a virtual function, a function without a body here
/// unless the project's summary of it (UseProjectSummaries) says its own unit found
/// the parameter, a plain `T &`, only read.
bool MayWriteThroughParameter(const clang::FunctionDecl *callee, unsigned index);

/// The `T &` parameters of `function` (a definition) that MayWriteThroughParameter
/// finds only read, by position: what its summary tells other units.
std::set<unsigned> ReadOnlyReferenceParameters(const clang::FunctionDecl *function);

/// Lets MayWriteThroughParameter answer, for the functions `context` calls whose
/// bodies are in other units, from `project`'s summaries (null: it does not).
void UseProjectSummaries(const clang::ASTContext &context,
                         const ProjectSummaries *project);

/// True when parameter `index` of `callee` is a reference to a number, or to a
/// record, and every use of it in the definition reads the number or stores into it
/// by name (`x = e`, `x += e`, `++x`), for a record field by field (`p.x += p.v`,
/// `p.box.lo = 0`; no pointer or reference fields): an out-parameter (`void
/// force(..., double &ax)`, `void step(Particle &p)`) whose callee reaches nothing
/// beside the one object it is given. False for anything else: its address, a
/// reference bound to it, an argument to another function, a method called on it,
/// a virtual function, a function without a body here.
bool OnlyStoresThroughParameter(const clang::FunctionDecl *callee, unsigned index);

}  // namespace rayify
