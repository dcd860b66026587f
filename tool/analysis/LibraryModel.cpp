#include "analysis/LibraryModel.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/DeclCXX.h>
#include <clang/AST/DeclTemplate.h>
#include <clang/Basic/Builtins.h>
#include <clang/Basic/SourceManager.h>
#include <llvm/Support/Path.h>

#include <unordered_set>

namespace rayify {
namespace {

using namespace clang;

using NameSet = std::unordered_set<std::string>;

// Free functions of <cmath>, <cstdlib>, <cstring>, <cctype>, <algorithm>, <numeric>,
// <utility>, <iterator>, <string> and <memory> that read and write only their
// arguments. Callables handed to the algorithms are checked where they are passed.
const NameSet kPureFunctions = {
    // <cmath>
    "abs", "fabs", "fabsf", "fabsl", "sqrt", "sqrtf", "cbrt", "pow", "powf", "exp",
    "expf", "exp2", "expm1", "log", "logf", "log2", "log10", "log1p", "sin", "sinf",
    "cos", "cosf", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "floor", "floorf", "ceil", "ceilf", "round", "lround",
    "llround", "trunc", "rint", "lrint", "nearbyint", "fmod", "remainder", "fmin", "fmax",
    "fdim", "fma", "hypot", "erf", "erfc", "tgamma", "isnan", "isinf", "isfinite",
    "isnormal", "signbit", "copysign", "nan", "frexp", "ldexp", "modf", "scalbn", "ilogb",
    "logb", "nextafter", "fpclassify", "lerp", "nanf", "nanl", "fminf", "fmaxf", "fmodf",
    "roundf", "truncf", "tanf", "atan2f", "hypotf", "log10f", "log2f", "exp2f", "cbrtf",
    "ldexpf",
    // <cstdlib>, <cstring>, <cctype>
    "labs", "llabs", "div", "ldiv", "atoi", "atol", "atoll", "atof", "strtol", "strtoll",
    "strtoul", "strtoull", "strtod", "strtof", "strtold", "strlen", "strnlen", "strcmp",
    "strncmp", "memcpy", "memmove", "memset", "memcmp", "memchr", "strcpy", "strncpy",
    "strcat", "strncat", "strchr", "strrchr", "strstr", "strspn", "strcspn", "strpbrk",
    "toupper", "tolower", "isalpha", "isdigit", "isspace", "isalnum", "isupper",
    "islower", "ispunct", "isxdigit", "isprint", "iscntrl", "isgraph", "malloc", "calloc",
    "realloc", "free", "qsort", "bsearch",
    // <algorithm>, <numeric>
    "sort", "stable_sort", "partial_sort", "partial_sort_copy", "nth_element", "reverse",
    "reverse_copy", "rotate", "rotate_copy", "fill", "fill_n", "copy", "copy_n",
    "copy_if", "copy_backward", "move_backward", "transform", "accumulate", "reduce",
    "transform_reduce", "inner_product", "partial_sum", "inclusive_scan",
    "exclusive_scan", "adjacent_difference", "iota", "count", "count_if", "find",
    "find_if", "find_if_not", "find_end", "find_first_of", "adjacent_find", "search",
    "search_n", "any_of", "all_of", "none_of", "equal", "mismatch",
    "lexicographical_compare", "min_element", "max_element", "minmax_element",
    "lower_bound", "upper_bound", "binary_search", "equal_range", "unique", "unique_copy",
    "remove", "remove_if", "remove_copy", "remove_copy_if", "replace", "replace_if",
    "replace_copy", "replace_copy_if", "merge", "inplace_merge", "includes", "set_union",
    "set_intersection", "set_difference", "set_symmetric_difference", "next_permutation",
    "prev_permutation", "is_permutation", "is_sorted", "is_sorted_until", "is_heap",
    "make_heap", "push_heap", "pop_heap", "sort_heap", "partition", "stable_partition",
    "partition_point", "is_partitioned", "for_each", "for_each_n", "generate",
    "generate_n", "shuffle", "swap_ranges", "iter_swap", "gcd", "lcm", "min", "max",
    "minmax", "clamp",
    // <utility>, <iterator>, <memory>, <string>, <tuple>
    "swap", "exchange", "move", "forward", "move_if_noexcept", "as_const", "declval",
    "make_pair", "make_tuple", "forward_as_tuple", "tie", "get", "begin", "end", "cbegin",
    "cend", "rbegin", "rend", "size", "ssize", "data", "empty", "distance", "advance",
    "next", "prev", "back_inserter", "front_inserter", "inserter", "make_move_iterator",
    "make_unique", "make_shared", "addressof", "to_string", "to_wstring", "sprintf",
    "snprintf", "sscanf", "launder", "bit_cast", "construct_at", "destroy_at",
    "uninitialized_copy", "uninitialized_fill", "operator new", "operator delete",
    "operator new[]", "operator delete[]",
    // <iomanip>: each makes a value that says how to format; a stream applies it
    "setprecision", "setw", "setfill", "setbase", "setiosflags", "resetiosflags",
    "quoted"};

// Algorithms of <algorithm>, <numeric> and <iterator> that never write through the
// iterators they are given (std::advance, which moves its iterator, is not one).
const NameSet kReadingAlgorithms = {
    // <algorithm>, <numeric>
    "accumulate", "reduce", "transform_reduce", "inner_product", "count", "count_if",
    "find", "find_if", "find_if_not", "find_end", "find_first_of", "adjacent_find",
    "search", "search_n", "any_of", "all_of", "none_of", "equal", "mismatch",
    "lexicographical_compare", "min_element", "max_element", "minmax_element",
    "lower_bound", "upper_bound", "binary_search", "equal_range", "includes",
    "is_permutation", "is_sorted", "is_sorted_until", "is_heap", "is_heap_until",
    "is_partitioned", "partition_point",
    // <iterator>
    "distance", "next", "prev"};

// Pure, but reporting bad input by throwing an exception.
const NameSet kThrowingFunctions = {"stoi",   "stol",  "stoll",    "stoul",
                                    "stoull", "stof",  "stod",     "stold",
                                    "at",     "value", "any_cast", "visit"};

// Files, the terminal, the environment, processes and the wall clock.
const NameSet kIoFunctions = {
    "printf",      "fprintf", "vprintf",  "vfprintf", "dprintf", "puts",      "fputs",
    "putchar",     "putc",    "fputc",    "fwrite",   "fread",   "fopen",     "freopen",
    "fclose",      "fflush",  "fgets",    "fgetc",    "getc",    "getchar",   "gets",
    "scanf",       "fscanf",  "vscanf",   "perror",   "remove",  "rename",    "tmpfile",
    "tmpnam",      "system",  "write",    "read",     "open",    "close",     "getenv",
    "setenv",      "putenv",  "unsetenv", "sleep",    "usleep",  "nanosleep", "sleep_for",
    "sleep_until", "getline", "fseek",    "ftell",    "rewind",  "feof",      "ferror",
    "popen",       "pclose",  "getpid",   "fork",     "exec",    "execv",     "execvp",
    "kill",        "signal",  "raise"};

// State the library keeps between calls: every process has its own.
const NameSet kHiddenStateFunctions = {
    "rand",          "srand",         "random",  "srandom",  "drand48",
    "erand48",       "lrand48",       "nrand48", "mrand48",  "jrand48",
    "srand48",       "seed48",        "lcong48", "rand_r",   "strtok",
    "setlocale",     "localeconv",    "time",    "clock",    "gmtime",
    "localtime",     "asctime",       "ctime",   "strerror", "mktime",
    "gettimeofday",  "clock_gettime", "lgamma",  "now",      "atexit",
    "at_quick_exit", "setjmp",        "longjmp", "errno"};

const NameSet kExitFunctions = {"exit",  "_exit",      "_Exit",
                                "abort", "quick_exit", "terminate"};

// Library classes whose members touch only the object they are called on and their
// arguments: containers, strings, string streams, value wrappers, random engines and
// distributions (state in the object, seen as a write to it).
const NameSet kValueClasses = {
    "vector", "basic_string", "basic_string_view", "array", "deque", "list",
    "forward_list", "map", "multimap", "set", "multiset", "unordered_map",
    "unordered_multimap", "unordered_set", "unordered_multiset", "pair", "tuple",
    "optional", "variant", "bitset", "complex", "valarray", "span", "initializer_list",
    "unique_ptr", "shared_ptr", "weak_ptr", "allocator", "char_traits", "numeric_limits",
    "hash", "less", "greater", "less_equal", "greater_equal", "equal_to", "not_equal_to",
    "plus", "minus", "multiplies", "divides", "modulus", "negate", "basic_stringstream",
    "basic_istringstream", "basic_ostringstream", "basic_stringbuf",
    "mersenne_twister_engine", "linear_congruential_engine", "subtract_with_carry_engine",
    "discard_block_engine", "independent_bits_engine", "shuffle_order_engine",
    "uniform_int_distribution", "uniform_real_distribution", "normal_distribution",
    "bernoulli_distribution", "binomial_distribution", "poisson_distribution",
    "exponential_distribution", "gamma_distribution", "lognormal_distribution",
    "discrete_distribution", "geometric_distribution", "reverse_iterator",
    "move_iterator", "back_insert_iterator", "front_insert_iterator", "insert_iterator",
    "priority_queue", "queue", "stack", "ratio", "duration",
    // Exceptions are values too; throwing one is judged
    // where it is thrown.
    "exception", "runtime_error", "logic_error", "invalid_argument", "out_of_range",
    "domain_error", "length_error", "range_error", "overflow_error", "underflow_error"};

std::string PlainName(const FunctionDecl *function) {
  if (function->getDeclName().isIdentifier()) return function->getName().str();
  return function->getNameAsString();
}

bool IsValueClass(const CXXRecordDecl *record) {
  if (record == nullptr || !record->getDeclName().isIdentifier()) return false;
  std::string name = record->getName().str();
  // Library-internal helpers (iterators, nodes, bit references) serve the containers.
  return kValueClasses.count(name) != 0 || (!name.empty() && name[0] == '_');
}

// An x86 SIMD intrinsic of the compiler's own headers (xmmintrin.h, immintrin.h, ...):
// arithmetic on vector values, or a load or store through the pointer it is given,
// which the caller's analysis sees like any pointer argument. One that takes no
// pointer and returns nothing changes processor state instead (_mm_setcsr, the
// fences), and one that takes nothing reads it (_mm_getcsr): not pure by this rule.
// (Clang declares some of those as builtins, which the builtin rule below takes; a
// program calling _mm_setcsr by name has set the floating-point environment, which
// CalleeEffects holds against all its floating-point work.)
bool IsSimdIntrinsic(const FunctionDecl *function) {
  if (!function->getDeclName().isIdentifier() || !function->getName().starts_with("_mm"))
    return false;
  const SourceManager &sources = function->getASTContext().getSourceManager();
  SourceLocation where = sources.getSpellingLoc(function->getLocation());
  if (!sources.isInSystemHeader(where) ||
      !llvm::sys::path::filename(sources.getFilename(where)).ends_with("intrin.h"))
    return false;
  bool takes_pointer = false;
  for (const ParmVarDecl *param : function->parameters())
    takes_pointer |= param->getType()->isPointerType();
  return takes_pointer ||
         (!function->getReturnType()->isVoidType() && function->getNumParams() > 0);
}

// Whether a parameter list lets a call change what it is given: a non-const lvalue
// reference, or a forwarding reference of a template that may bind one.
bool TakesMutableReference(const FunctionDecl *function) {
  for (const ParmVarDecl *param : function->parameters()) {
    QualType type = param->getType();
    if ((type->isLValueReferenceType() &&
         !type.getNonReferenceType().isConstQualified()) ||
        (type->isRValueReferenceType() && type.getNonReferenceType()->isDependentType()))
      return true;
  }
  return false;
}

// Whether no call operator of `record` or of its bases takes a non-const reference.
bool CallOperatorsRead(const CXXRecordDecl *record, int depth) {
  if (record == nullptr || !record->hasDefinition() || depth > 8) return true;
  record = record->getDefinition();
  for (const Decl *member : record->decls()) {
    const auto *method = dyn_cast<CXXMethodDecl>(member);
    if (const auto *pattern = dyn_cast<FunctionTemplateDecl>(member))
      method = dyn_cast<CXXMethodDecl>(pattern->getTemplatedDecl());
    if (method != nullptr && method->getOverloadedOperator() == OO_Call &&
        TakesMutableReference(method))
      return false;
  }
  for (const CXXBaseSpecifier &base : record->bases()) {
    if (!CallOperatorsRead(base.getType()->getAsCXXRecordDecl(), depth + 1)) return false;
  }
  return true;
}

// A callable argument of an algorithm that receives elements only by value or by
// const reference: a function (pointer) or a function object (a lambda, a
// std::function, a class with operator(), its bases' included) none of whose
// parameters is a non-const reference; a generic lambda's `auto &` counts as one.
// Anything not callable (an iterator, a value) changes nothing either.
bool CallableReadsOnly(QualType type) {
  type = type.getNonReferenceType();
  if (const auto *pointer = type->getAs<PointerType>()) type = pointer->getPointeeType();
  if (const auto *prototype = type->getAs<FunctionProtoType>()) {
    for (QualType param : prototype->getParamTypes()) {
      if (param->isLValueReferenceType() &&
          !param.getNonReferenceType().isConstQualified())
        return false;
    }
    return true;
  }
  return CallOperatorsRead(type->getAsCXXRecordDecl(), 0);
}

}  // namespace

bool IsComparisonOperator(const FunctionDecl *function) {
  switch (function->getOverloadedOperator()) {
    case OO_EqualEqual:
    case OO_ExclaimEqual:
    case OO_Less:
    case OO_Greater:
    case OO_LessEqual:
    case OO_GreaterEqual:
    case OO_Spaceship:
      return true;
    default:
      return false;
  }
}

bool OnlyReadsThroughArguments(const FunctionDecl *function) {
  // Comparing iterators or taking their difference (`it == v.end()`, `last - first`)
  // reads through them, though a view's const reference would let it write.
  if (IsComparisonOperator(function) || function->getOverloadedOperator() == OO_Minus)
    return true;
  if (!function->isInStdNamespace() || kReadingAlgorithms.count(PlainName(function)) == 0)
    return false;
  for (const ParmVarDecl *param : function->parameters()) {
    if (!CallableReadsOnly(param->getType())) return false;
  }
  return true;
}

std::vector<std::string> StandardExceptionsThrown(const FunctionDecl *function) {
  std::string name = PlainName(function);
  if (name.rfind("sto", 0) == 0) return {"invalid_argument", "out_of_range"};
  if (name == "at") return {"out_of_range"};
  if (name == "any_cast") return {"bad_any_cast"};
  if (name == "visit") return {"bad_variant_access"};
  return {};  // `value`: an optional's or an expected's, each its own class
}

// `std::fixed`, `std::endl`, `std::ws`: a function of namespace std taking a stream by
// reference and returning it. It changes only the stream it is given, and using a
// stream is judged by the stream itself (I/O unless a string stream of the code's own).
bool IsStreamManipulator(const FunctionDecl *function) {
  if (!function->isInStdNamespace() || function->getNumParams() != 1) return false;
  QualType param = function->getParamDecl(0)->getType();
  const auto *stream = param->isLValueReferenceType()
                           ? param.getNonReferenceType()->getAsCXXRecordDecl()
                           : nullptr;
  if (stream == nullptr || !stream->isInStdNamespace()) return false;
  static const NameSet kStreamClasses = {"ios_base", "basic_ios", "basic_ostream",
                                         "basic_istream", "basic_iostream"};
  return kStreamClasses.count(stream->getNameAsString()) != 0 &&
         function->getReturnType().getCanonicalType() == param.getCanonicalType();
}

LibraryEffect ClassifyLibraryFunction(const FunctionDecl *function) {
  std::string name = PlainName(function);
  if (kExitFunctions.count(name) != 0) return LibraryEffect::kExit;
  if (kIoFunctions.count(name) != 0 && !function->isCXXClassMember()) {
    return LibraryEffect::kIo;
  }
  if (kHiddenStateFunctions.count(name) != 0) return LibraryEffect::kHiddenState;
  if (kThrowingFunctions.count(name) != 0) return LibraryEffect::kMayThrow;
  if (const auto *method = dyn_cast<CXXMethodDecl>(function)) {
    if (IsValueClass(method->getParent())) return LibraryEffect::kPure;
    // A trivial constructor, assignment or destructor (a C struct's: `timeval tv;`)
    // copies or leaves bytes of its own object and runs nothing else.
    if (method->isTrivial()) return LibraryEffect::kPure;
    // A std::function only stores or drops its target here; calling it is unknown.
    bool stores_target = isa<CXXConstructorDecl, CXXDestructorDecl>(method) ||
                         method->isCopyAssignmentOperator() ||
                         method->isMoveAssignmentOperator();
    return stores_target && method->getParent()->getName() == "function"
               ? LibraryEffect::kPure
               : LibraryEffect::kUnknown;
  }
  if (kPureFunctions.count(name) != 0 || IsStreamManipulator(function))
    return LibraryEffect::kPure;
  // Operators of library types (string +, ==, <): values in, value out. Stream
  // operators are I/O and recognised by the stream's type before this is asked.
  if (function->isOverloadedOperator()) return LibraryEffect::kPure;
  if (unsigned id = function->getBuiltinID()) {
    // The compiler's own (__builtin_expect, __builtin_memcpy) are pure; a C library
    // function Clang also knows as a builtin (longjmp, vfork) is pure only if listed
    // above. (isLibFunction means the __builtin_-prefixed spelling of one.)
    return function->getASTContext().BuiltinInfo.isPredefinedLibFunction(id)
               ? LibraryEffect::kUnknown
               : LibraryEffect::kPure;
  }
  if (IsSimdIntrinsic(function)) return LibraryEffect::kPure;
  // Library-internal helpers (std::__addressof, __gnu_cxx::__ops::...).
  if (name.size() > 1 && name[0] == '_' && name[1] == '_') return LibraryEffect::kPure;
  return LibraryEffect::kUnknown;
}

}  // namespace rayify
