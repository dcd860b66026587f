// `// rayify: resources(CPU=2, GPU=1, memory=4GB)` annotations: the resources each
// task of the annotated function asks Ray for. Plain text parsing, no Clang.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rayify {

/// Finds a `rayify: resources(...)` annotation in `comment` (the comment lines
/// above a function). Returns nothing when there is none; throws
/// std::invalid_argument with a message when it is malformed. Amounts may carry a
/// unit for memory: KB, MB, GB, TB (powers of 1024) or plain bytes.
std::optional<std::map<std::string, double>> ParseResourceAnnotation(
    const std::string &comment);

/// `// rayify: actor(name=ledger, namespace=bank)` above a class: the Ray name (and
/// namespace) its one actor is created with.
struct ActorAnnotation {
  std::string name;
  std::string ray_namespace;  // empty: the job's namespace (RAY_NAMESPACE)
};

/// Finds a `rayify: actor(...)` annotation in `comment`; nothing when there is none.
/// Throws std::invalid_argument when it is malformed.
std::optional<ActorAnnotation> ParseActorAnnotation(const std::string &comment);

/// Why Ray would reject `amount` of a resource, or "" when it would not: amounts must
/// be positive and finite, and whole numbers when above 1.
std::string ResourceAmountProblem(double amount);

/// `.SetResource("CPU", 2).SetResource("memory", 536870912)`, in a stable order.
std::string SetResourceCalls(const std::map<std::string, double> &resources);

/// The option calls of a task submission: the annotated resources, with one CPU when
/// the annotation names none. Ray's C++ API, unlike its Python one, gives a task no
/// CPU unless asked, and a task that asks for nothing is never held back: the driver's
/// node starts a worker for every queued task and none spill to other nodes. One CPU
/// is what a Python task and the bundled runtime assume.
std::string TaskResourceCalls(std::map<std::string, double> resources);

/// Prints an amount as Ray's API takes it: integers without a decimal point.
std::string FormatAmount(double amount);

}  // namespace rayify
